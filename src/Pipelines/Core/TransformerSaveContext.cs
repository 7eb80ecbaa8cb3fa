using System.Text.Json.Nodes;

namespace DlBook.Pipelines.Core;

/// <summary>What one transformer writes into a model package: JSON settings and named float tensors.</summary>
public sealed class TransformerSaveContext
{
    /// <summary>Settings (serialised into the package manifest).</summary>
    public JsonObject Settings { get; } = new();

    /// <summary>Named tensors (values, shape), stored in the package's safetensors file under "&lt;step&gt;.&lt;name&gt;".</summary>
    public Dictionary<string, (float[] Values, int[] Shape)> Tensors { get; } = new(StringComparer.Ordinal);
}

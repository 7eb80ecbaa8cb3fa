using System.Text.Json.Nodes;

namespace DlBook.Pipelines.Core;

/// <summary>What a loader gets back from a model package for one transformer.</summary>
public sealed class TransformerLoadContext(DlContext context, string kind, JsonObject settings,
    IReadOnlyDictionary<string, (float[] Values, int[] Shape)> tensors, string source)
{
    /// <summary>The context loading the model.</summary>
    public DlContext Context { get; } = context;
    /// <summary>The transformer kind.</summary>
    public string Kind { get; } = kind;
    /// <summary>The settings written by Save.</summary>
    public JsonObject Settings { get; } = settings;
    /// <summary>The tensors written by Save.</summary>
    public IReadOnlyDictionary<string, (float[] Values, int[] Shape)> Tensors { get; } = tensors;
    /// <summary>Where it comes from (file and step), for error messages.</summary>
    public string Source { get; } = source;

    /// <summary>A tensor by name; throws <see cref="InvalidDataException"/> naming the source when absent.</summary>
    public (float[] Values, int[] Shape) Tensor(string name) =>
        Tensors.TryGetValue(name, out var t) ? t
            : throw new InvalidDataException($"{Source}: tensor '{name}' is missing from the model package. The file is damaged or from an incompatible version; re-train or re-save it.");
}

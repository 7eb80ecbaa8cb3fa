namespace DlBook.Export.Onnx;

/// <summary>Settings of an ONNX export.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The ai.onnx opset to target, <see cref="OnnxExporter.MinOpset"/>–<see cref="OnnxExporter.MaxOpset"/>; default 17.</summary>
    public int Opset { get; init; } = OnnxExporter.DefaultOpset;

    /// <summary>The graph's name (also shown by Netron and Triton); default "dlbook".</summary>
    public string GraphName { get; init; } = "dlbook";

    /// <summary>Free text stored as the model's doc_string; default a summary of the layers.</summary>
    public string? Description { get; init; }
}

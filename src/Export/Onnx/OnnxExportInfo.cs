namespace DlBook.Export.Onnx;

/// <summary>What an export wrote: the graph's interface and the preprocessing folded into it.</summary>
/// <param name="Path">The file written, or null when exported to bytes.</param>
/// <param name="Opset">The ai.onnx opset.</param>
/// <param name="InputName">The graph input (the raw feature column).</param>
/// <param name="InputShape">Per-sample input shape (the batch axis is symbolic, "batch").</param>
/// <param name="Outputs">Graph outputs, e.g. Score and PredictedLabel.</param>
/// <param name="FoldedSteps">Number of affine normalisers folded into Sub/Mul nodes.</param>
/// <param name="NodeCount">Number of nodes in the graph.</param>
public sealed record OnnxExportInfo(string? Path, int Opset, string InputName, int[] InputShape,
    IReadOnlyList<string> Outputs, int FoldedSteps, int NodeCount);

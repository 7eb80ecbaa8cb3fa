using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>
/// Conv2d → Conv(x, W[, b]) with kernel_shape, strides, pads and dilations (group 1): the engine's W [F, C, kh, kw]
/// and b [F] are ONNX Conv's layout, and both compute cross-correlation, so the parameters are written as they are.
/// </summary>
public sealed class Conv2dMapping : IOnnxLayerMapping
{
    /// <inheritdoc />
    public string Kind => LayerKinds.Conv2d;

    /// <inheritdoc />
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input)
    {
        var w = graph.Parameter(layer, "W");
        bool bias = layer.Parameters.Any(p => p.Name == "b");
        var b = bias ? graph.Parameter(layer, "b") : null;
        if (w.Rank != 4 || (b is not null && (b.Rank != 1 || b.Dim(0) != w.Dim(0))))
            throw new OnnxExportException($"Layer '{layer.Name}' (Conv2d): W {w.ShapeString}{(b is null ? "" : $" and b {b.ShapeString}")} are not [F, C, kh, kw] and [F]. The model is inconsistent; re-train or re-save it.");
        var attributes = WindowAttributes.Read(layer, "kernel", dilated: true);
        var kernel = layer.GetInts("kernel");
        if (kernel[0] != w.Dim(2) || kernel[1] != w.Dim(3))
            throw new OnnxExportException($"Layer '{layer.Name}' (Conv2d): setting 'kernel' = '{layer.GetString("kernel")}' does not match W {w.ShapeString}. The model is inconsistent; re-train or re-save it.");
        var inputs = new List<string> { input, graph.AddConstant($"{layer.Name}.W", w.Span, w.Shape) };
        if (b is not null) inputs.Add(graph.AddConstant($"{layer.Name}.b", b.Span, b.Shape));
        return graph.AddNode("Conv", inputs, graph.UniqueName($"{layer.Name}.out"), layer.Name, [.. attributes, OnnxAttribute.Int("group", 1)]);
    }
}

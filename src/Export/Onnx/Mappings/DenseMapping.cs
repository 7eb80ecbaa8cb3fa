using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>Dense → Gemm(x, W, b, transB=1): y = x Wᵀ + b with W [out, in] as the engine stores it.</summary>
public sealed class DenseMapping : IOnnxLayerMapping
{
    /// <inheritdoc />
    public string Kind => LayerKinds.Dense;

    /// <inheritdoc />
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input)
    {
        var w = graph.Parameter(layer, "W");
        var b = graph.Parameter(layer, "b");
        if (w.Rank != 2 || b.Rank != 1 || b.Dim(0) != w.Dim(0))
            throw new OnnxExportException($"Layer '{layer.Name}' (Dense): W {w.ShapeString} and b {b.ShapeString} are not [out, in] and [out].");
        var wName = graph.AddConstant($"{layer.Name}.W", w.Span, w.Shape);
        var bName = graph.AddConstant($"{layer.Name}.b", b.Span, b.Shape);
        return graph.AddNode("Gemm", [input, wName, bName], graph.UniqueName($"{layer.Name}.out"), layer.Name,
            OnnxAttribute.Int("transB", 1));
    }
}

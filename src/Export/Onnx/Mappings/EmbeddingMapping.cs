using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>Embedding → Cast(ids, int64) + Gather(W, ids, axis 0): [batch, T] token ids (floats, as the engine reads them) → [batch, T, dim].</summary>
public sealed class EmbeddingMapping : IOnnxLayerMapping
{
    /// <inheritdoc />
    public string Kind => LayerKinds.Embedding;

    /// <inheritdoc />
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input)
    {
        var w = graph.Parameter(layer, "W");
        if (w.Rank != 2)
            throw new OnnxExportException($"Layer '{layer.Name}' (Embedding): W {w.ShapeString} is not [vocab, dim].");
        var table = graph.AddConstant($"{layer.Name}.W", w.Span, w.Shape);
        var ids = graph.AddNode("Cast", [input], graph.UniqueName($"{layer.Name}.ids"), $"{layer.Name}_ids",
            OnnxAttribute.Int("to", (long)Proto.TensorProto.Types.DataType.Int64));
        return graph.AddNode("Gather", [table, ids], graph.UniqueName($"{layer.Name}.out"), layer.Name, OnnxAttribute.Int("axis", 0));
    }
}

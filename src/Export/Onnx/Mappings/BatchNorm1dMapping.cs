using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>
/// BatchNorm1d → BatchNormalization in inference mode: y = γ (x − running mean) / √(running var + ε) + β
/// over the features of [batch, features].
/// </summary>
public sealed class BatchNorm1dMapping : IOnnxLayerMapping
{
    /// <inheritdoc />
    public string Kind => LayerKinds.BatchNorm1d;

    /// <inheritdoc />
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input)
    {
        string Constant(string p)
        {
            var t = graph.Parameter(layer, p);
            return graph.AddConstant($"{layer.Name}.{p}", t.Span, t.Shape);
        }
        var inputs = new[] { Constant("gamma"), Constant("beta"), Constant("runningMean"), Constant("runningVar") };
        float epsilon = layer.GetFloat("epsilon", 1e-5f);
        return graph.AddNode("BatchNormalization", [input, .. inputs], graph.UniqueName($"{layer.Name}.out"), layer.Name,
            OnnxAttribute.Float("epsilon", epsilon));
    }
}

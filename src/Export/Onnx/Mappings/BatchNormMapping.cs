using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>
/// BatchNorm1d and BatchNorm2d → BatchNormalization in inference mode: y = γ (x − running mean) / √(running var + ε) + β
/// per channel, the features of [batch, features] (a shaped BatchNorm1d sample is flattened first, each of its values
/// being a feature) or the channels (axis 1) of [batch, C, H, W]. Both engine kinds
/// are <see cref="BatchNormLayer"/> with the same parameters and settings; one mapping is registered for each kind.
/// </summary>
public sealed class BatchNormMapping : IOnnxLayerMapping
{
    /// <summary>The mapping for <paramref name="kind"/>: <see cref="LayerKinds.BatchNorm1d"/> or <see cref="LayerKinds.BatchNorm2d"/>.</summary>
    /// <exception cref="ArgumentException">Another kind.</exception>
    public BatchNormMapping(string kind)
    {
        if (kind is not (LayerKinds.BatchNorm1d or LayerKinds.BatchNorm2d))
            throw new ArgumentException($"BatchNormMapping writes {LayerKinds.BatchNorm1d} and {LayerKinds.BatchNorm2d} layers, not '{kind}'.", nameof(kind));
        Kind = kind;
    }

    /// <inheritdoc />
    public string Kind { get; }

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
        string Normalize(string x) => graph.AddNode("BatchNormalization", [x, .. inputs], graph.UniqueName($"{layer.Name}.out"), layer.Name,
            OnnxAttribute.Float("epsilon", epsilon));
        // BatchNorm1d treats every value of a shaped sample as a feature; ONNX normalises axis 1, so flatten it first.
        return Kind == LayerKinds.BatchNorm1d ? FlatSample.Apply(graph, layer.Name, layer.InputShape, input, Normalize) : Normalize(input);
    }
}

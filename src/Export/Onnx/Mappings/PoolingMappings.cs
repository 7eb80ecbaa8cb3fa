using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>
/// MaxPool2d → MaxPool with kernel_shape, strides and pads (ONNX pads max pooling with −∞, so padding never wins, as
/// in the engine).
/// </summary>
public sealed class MaxPool2dMapping : IOnnxLayerMapping
{
    /// <inheritdoc />
    public string Kind => LayerKinds.MaxPool2d;

    /// <inheritdoc />
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input) =>
        graph.AddNode("MaxPool", [input], graph.UniqueName($"{layer.Name}.out"), layer.Name, WindowAttributes.Read(layer, "pool", dilated: false));
}

/// <summary>
/// AvgPool2d → AveragePool with kernel_shape, strides, pads and count_include_pad = 0: the engine averages only the
/// inputs a window covers, so a window cut by the padding divides by its inputs, not by the pool area.
/// </summary>
public sealed class AvgPool2dMapping : IOnnxLayerMapping
{
    /// <inheritdoc />
    public string Kind => LayerKinds.AvgPool2d;

    /// <inheritdoc />
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input) =>
        graph.AddNode("AveragePool", [input], graph.UniqueName($"{layer.Name}.out"), layer.Name,
            [.. WindowAttributes.Read(layer, "pool", dilated: false), OnnxAttribute.Int("count_include_pad", 0)]);
}

/// <summary>
/// GlobalAvgPool2d → GlobalAveragePool then Flatten(axis=1): ONNX keeps [batch, C, 1, 1], the engine gives the flat
/// [batch, C] a Dense layer reads.
/// </summary>
public sealed class GlobalAvgPool2dMapping : IOnnxLayerMapping
{
    /// <inheritdoc />
    public string Kind => LayerKinds.GlobalAvgPool2d;

    /// <inheritdoc />
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input)
    {
        var pooled = graph.AddNode("GlobalAveragePool", [input], graph.UniqueName($"{layer.Name}.pooled"), layer.Name);
        return graph.AddNode("Flatten", [pooled], graph.UniqueName($"{layer.Name}.out"), $"{layer.Name}.flatten", OnnxAttribute.Int("axis", 1));
    }
}

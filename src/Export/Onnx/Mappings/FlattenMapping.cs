using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>Flatten → Flatten(axis=1): [batch, d1, d2, …] → [batch, d1·d2·…], row-major as the engine lays tensors out.</summary>
public sealed class FlattenMapping : IOnnxLayerMapping
{
    /// <inheritdoc />
    public string Kind => LayerKinds.Flatten;

    /// <inheritdoc />
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input) =>
        graph.AddNode("Flatten", [input], graph.UniqueName($"{layer.Name}.out"), layer.Name, OnnxAttribute.Int("axis", 1));
}

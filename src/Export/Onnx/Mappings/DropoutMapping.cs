using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>Dropout → nothing: inverted dropout is the identity at inference, so no node is written.</summary>
public sealed class DropoutMapping : IOnnxLayerMapping
{
    /// <inheritdoc />
    public string Kind => LayerKinds.Dropout;

    /// <inheritdoc />
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input) => input;
}

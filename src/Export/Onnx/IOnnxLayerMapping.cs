using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx;

/// <summary>
/// Turns one layer, described by its <see cref="LayerSpec"/>, into ONNX nodes. One small class per
/// <see cref="LayerSpec.Kind"/>; a new layer kind brings its own mapping and registers it in
/// <see cref="OnnxLayerMappings"/>.
/// </summary>
public interface IOnnxLayerMapping
{
    /// <summary>The layer kind handled (a <see cref="LayerKinds"/> value).</summary>
    string Kind { get; }

    /// <summary>
    /// Emits the nodes computing <paramref name="layer"/> from the tensor named <paramref name="input"/>
    /// and returns the name of the tensor holding the layer's output (which may be <paramref name="input"/>
    /// itself for layers that vanish at inference, such as dropout).
    /// </summary>
    string Emit(OnnxGraphContext graph, LayerSpec layer, string input);
}

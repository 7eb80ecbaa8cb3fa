using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>
/// Dropout and SpatialDropout2d → nothing: inverted dropout, of values or of whole channels, is the identity at
/// inference, so no node is written. One mapping is registered for each kind.
/// </summary>
public sealed class DropoutMapping : IOnnxLayerMapping
{
    /// <summary>The mapping for <paramref name="kind"/>: <see cref="LayerKinds.Dropout"/> (the default) or <see cref="LayerKinds.SpatialDropout2d"/>.</summary>
    /// <exception cref="ArgumentException">Another kind.</exception>
    public DropoutMapping(string kind = LayerKinds.Dropout)
    {
        if (kind is not (LayerKinds.Dropout or LayerKinds.SpatialDropout2d))
            throw new ArgumentException($"DropoutMapping writes {LayerKinds.Dropout} and {LayerKinds.SpatialDropout2d} layers, not '{kind}'.", nameof(kind));
        Kind = kind;
    }

    /// <inheritdoc />
    public string Kind { get; }

    /// <inheritdoc />
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input) => input;
}

using System.Collections.Concurrent;
using DlBook.Export.Onnx.Mappings;

namespace DlBook.Export.Onnx;

/// <summary>
/// The registry of layer-to-ONNX mappings, keyed by <see cref="Engine.Layers.LayerSpec.Kind"/>. New
/// layer kinds (Conv2d, MaxPool2d, Rnn, Lstm, Gru, …) register their mapping here.
/// </summary>
public static class OnnxLayerMappings
{
    private static readonly ConcurrentDictionary<string, IOnnxLayerMapping> Mappings = new(StringComparer.Ordinal);

    static OnnxLayerMappings()
    {
        foreach (var m in new IOnnxLayerMapping[] { new DenseMapping(), new ActivationMapping(), new DropoutMapping(), new BatchNorm1dMapping(), new FlattenMapping() })
            Register(m);
    }

    /// <summary>Registers (or replaces) the mapping for its kind.</summary>
    public static void Register(IOnnxLayerMapping mapping) => Mappings[mapping.Kind] = mapping;

    /// <summary>The kinds that can be exported.</summary>
    public static IReadOnlyCollection<string> Kinds => Mappings.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The mapping for <paramref name="kind"/>; throws <see cref="OnnxExportException"/> naming the layer when there is none.</summary>
    public static IOnnxLayerMapping Get(string kind, string layerName) =>
        Mappings.TryGetValue(kind, out var m) ? m
            : throw new OnnxExportException($"Layer '{layerName}' is of kind '{kind}', which has no ONNX mapping. Exportable kinds: {string.Join(", ", Kinds)}. Add an IOnnxLayerMapping for it and register it with OnnxLayerMappings.Register.");
}

using System.Collections.Concurrent;
using DlBook.Engine.Layers;
using DlBook.Export.Onnx.Mappings;

namespace DlBook.Export.Onnx;

/// <summary>
/// The registry of layer-to-ONNX mappings, keyed by <see cref="Engine.Layers.LayerSpec.Kind"/>. New
/// layer kinds (Rnn, Lstm, Gru, …) register their mapping here.
/// </summary>
public static class OnnxLayerMappings
{
    private static readonly ConcurrentDictionary<string, IOnnxLayerMapping> Mappings = new(StringComparer.Ordinal);

    static OnnxLayerMappings()
    {
        IOnnxLayerMapping[] builtIn =
        [
            new DenseMapping(), new ActivationMapping(), new DropoutMapping(), new BatchNormMapping(LayerKinds.BatchNorm1d),
            new Conv2dMapping(), new MaxPool2dMapping(), new AvgPool2dMapping(), new GlobalAvgPool2dMapping(),
            new BatchNormMapping(LayerKinds.BatchNorm2d), new DropoutMapping(LayerKinds.SpatialDropout2d), new FlattenMapping(),
            new SimpleRnnMapping(), new LstmMapping(), new GruMapping(), new EmbeddingMapping(),
        ];
        foreach (var m in builtIn) Register(m);
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

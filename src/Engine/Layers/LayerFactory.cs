using System.Collections.Concurrent;
using DlBook.Engine.Random;

namespace DlBook.Engine.Layers;

/// <summary>
/// Turns a <see cref="LayerSpec"/> into a working layer. New kinds (Conv2d, LSTM, …) join with
/// <see cref="Register"/>, so adding a layer is a local change.
/// </summary>
public static class LayerFactory
{
    private static readonly ConcurrentDictionary<string, ILayerBuilder> Builders = new(StringComparer.OrdinalIgnoreCase)
    {
        [LayerKinds.Dense] = new DelegateLayerBuilder(DenseLayer.Create),
        [LayerKinds.Activation] = new DelegateLayerBuilder(ActivationLayer.Create),
        [LayerKinds.Dropout] = new DelegateLayerBuilder(DropoutLayer.Create),
        [LayerKinds.BatchNorm1d] = new DelegateLayerBuilder(BatchNorm1dLayer.Create),
        [LayerKinds.SimpleRnn] = new DelegateLayerBuilder(SimpleRnnLayer.Create),
        [LayerKinds.Lstm] = new DelegateLayerBuilder(LstmLayer.Create),
        [LayerKinds.Gru] = new DelegateLayerBuilder(GruLayer.Create),
        [LayerKinds.Embedding] = new DelegateLayerBuilder(EmbeddingLayer.Create),
        [LayerKinds.TimeDistributedDense] = new DelegateLayerBuilder(TimeDistributedDenseLayer.Create),
        [LayerKinds.Conv2d] = new DelegateLayerBuilder(Conv2dLayer.Create),
        [LayerKinds.MaxPool2d] = new DelegateLayerBuilder(MaxPool2dLayer.Create),
        [LayerKinds.AvgPool2d] = new DelegateLayerBuilder(AvgPool2dLayer.Create),
        [LayerKinds.GlobalAvgPool2d] = new DelegateLayerBuilder(GlobalAvgPool2dLayer.Create),
        [LayerKinds.BatchNorm2d] = new DelegateLayerBuilder(BatchNorm2dLayer.Create),
        [LayerKinds.Flatten] = new DelegateLayerBuilder(FlattenLayer.Create),
        [LayerKinds.SpatialDropout2d] = new DelegateLayerBuilder(SpatialDropout2dLayer.Create),
    };

    /// <summary>The registered kinds.</summary>
    public static IReadOnlyCollection<string> Kinds => Builders.Keys.ToArray();

    /// <summary>
    /// Builds the layer, filling the spec's Name (the lower-case kind when empty), InputShape,
    /// OutputShape and Parameters; initialises parameters from <paramref name="rng"/> (null → neutral
    /// values, to be overwritten when a model is loaded).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown kind or settings that do not fit the input shape.</exception>
    public static ILayer Build(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (!Builders.TryGetValue(spec.Kind, out var builder))
            throw new ArgumentException(
                $"Layer '{spec.Name}' has unknown kind '{spec.Kind}'. Known kinds: {string.Join(", ", Builders.Keys.Order())}. " +
                "Register a builder with LayerFactory.Register or use a newer version of DlBook.", nameof(spec));
        if (string.IsNullOrEmpty(spec.Name)) spec.Name = spec.Kind.ToLowerInvariant();
        return builder.Build(spec, (int[])inputShape.Clone(), rng);
    }

    /// <summary>Registers (or replaces) the builder for <paramref name="kind"/>.</summary>
    public static void Register(string kind, ILayerBuilder builder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(builder);
        Builders[kind] = builder;
    }

    private sealed class DelegateLayerBuilder(Func<LayerSpec, int[], Rng?, ILayer> build) : ILayerBuilder
    {
        public ILayer Build(LayerSpec spec, int[] inputShape, Rng? rng) => build(spec, inputShape, rng);
    }
}

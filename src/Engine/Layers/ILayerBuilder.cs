using DlBook.Engine.Random;

namespace DlBook.Engine.Layers;

/// <summary>Builds one kind of layer from its spec; registered with <see cref="LayerFactory.Register"/>.</summary>
public interface ILayerBuilder
{
    /// <summary>
    /// Creates the layer for <paramref name="spec"/> fed by per-sample <paramref name="inputShape"/>, filling
    /// the spec's InputShape, OutputShape and Parameters. Parameters are initialised from <paramref name="rng"/>,
    /// or left at their neutral values (zeros; ones for scales) when it is null, to be overwritten by a load.
    /// </summary>
    ILayer Build(LayerSpec spec, int[] inputShape, Rng? rng);
}

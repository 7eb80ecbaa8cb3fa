using DlBook.Engine.Random;

namespace DlBook.Engine.Layers;

/// <summary>
/// A layer that draws random numbers while training (dropout). Its generator's state is part of a training checkpoint,
/// so a resumed run draws the same masks as an uninterrupted one.
/// </summary>
public interface IStochasticLayer
{
    /// <summary>The generator the layer draws from in training-mode forward passes.</summary>
    Rng TrainingRandom { get; }
}

using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Initializers;

/// <summary>Fills a parameter tensor given its fan-in and fan-out.</summary>
public interface IInitializer
{
    /// <summary>Name as used in options and the model package ("Normal1OverFanIn", "GlorotUniform", …).</summary>
    string Name { get; }

    /// <summary>Fills <paramref name="tensor"/> from <paramref name="rng"/>.</summary>
    void Fill(Tensor tensor, int fanIn, int fanOut, Rng rng);
}

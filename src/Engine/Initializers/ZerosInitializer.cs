using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Initializers;

/// <summary>All zeros (the usual bias initialisation). Draws nothing from the generator.</summary>
public sealed class ZerosInitializer : IInitializer
{
    /// <summary>The shared instance.</summary>
    public static ZerosInitializer Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "Zeros";

    /// <inheritdoc />
    public void Fill(Tensor tensor, int fanIn, int fanOut, Rng rng) => tensor.Clear();
}

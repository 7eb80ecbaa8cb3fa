using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Initializers;

/// <summary>
/// Draws from N(0, std²) where std depends on the fan-in and fan-out. The static instances are the
/// schemes the book and the frameworks use (PyTorch's plain, untruncated normals).
/// </summary>
public sealed class NormalInitializer : IInitializer
{
    private readonly Func<int, int, double> _std;

    /// <summary>A normal initialiser with a fixed standard deviation, named "Normal".</summary>
    public NormalInitializer(double std) : this("Normal", (_, _) => std)
    {
        if (!(std >= 0) || double.IsInfinity(std)) throw new ArgumentOutOfRangeException(nameof(std), std, "The standard deviation must be finite and ≥ 0.");
    }

    private NormalInitializer(string name, Func<int, int, double> std)
    {
        Name = name;
        _std = std;
    }

    /// <summary>N(0, 1): the book's "large" initialisation (network2's large_weight_initializer) and its bias init.</summary>
    public static NormalInitializer StandardNormal { get; } = new("StandardNormal", (_, _) => 1.0);

    /// <summary>N(0, 1/n_in): the book's default weight initialisation (network2's default_weight_initializer).</summary>
    public static NormalInitializer Normal1OverFanIn { get; } = new("Normal1OverFanIn", (fanIn, _) => 1.0 / Math.Sqrt(fanIn));

    /// <summary>Glorot/Xavier normal: N(0, 2/(n_in + n_out)).</summary>
    public static NormalInitializer GlorotNormal { get; } = new("GlorotNormal", (fanIn, fanOut) => Math.Sqrt(2.0 / (fanIn + fanOut)));

    /// <summary>He/Kaiming normal for ReLU: N(0, 2/n_in).</summary>
    public static NormalInitializer HeNormal { get; } = new("HeNormal", (fanIn, _) => Math.Sqrt(2.0 / fanIn));

    /// <summary>LeCun normal: N(0, 1/n_in) (SELU's init; numerically the same as <see cref="Normal1OverFanIn"/>).</summary>
    public static NormalInitializer LecunNormal { get; } = new("LecunNormal", (fanIn, _) => 1.0 / Math.Sqrt(fanIn));

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The standard deviation used for the given fans.</summary>
    public double StandardDeviation(int fanIn, int fanOut) => _std(Math.Max(1, fanIn), Math.Max(1, fanOut));

    /// <inheritdoc />
    public void Fill(Tensor tensor, int fanIn, int fanOut, Rng rng)
    {
        double std = StandardDeviation(fanIn, fanOut);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)(std * rng.NextNormal());
    }
}

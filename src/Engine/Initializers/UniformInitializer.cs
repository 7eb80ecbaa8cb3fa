using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Initializers;

/// <summary>Draws from U(−limit, limit) where the limit may depend on the fan-in and fan-out.</summary>
public sealed class UniformInitializer : IInitializer
{
    private readonly Func<int, int, double> _limit;

    /// <summary>U(−limit, limit) with a fixed limit (default 0.05, Keras's RandomUniform), named "Uniform".</summary>
    public UniformInitializer(double limit = 0.05) : this("Uniform", (_, _) => limit)
    {
        if (!(limit >= 0) || double.IsInfinity(limit)) throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit must be finite and ≥ 0.");
    }

    private UniformInitializer(string name, Func<int, int, double> limit)
    {
        Name = name;
        _limit = limit;
    }

    /// <summary>Glorot/Xavier uniform: limit √(6/(n_in + n_out)).</summary>
    public static UniformInitializer GlorotUniform { get; } = new("GlorotUniform", (fanIn, fanOut) => Math.Sqrt(6.0 / (fanIn + fanOut)));

    /// <summary>He/Kaiming uniform for ReLU: limit √(6/n_in).</summary>
    public static UniformInitializer HeUniform { get; } = new("HeUniform", (fanIn, _) => Math.Sqrt(6.0 / fanIn));

    /// <summary>LeCun uniform: limit √(3/n_in).</summary>
    public static UniformInitializer LecunUniform { get; } = new("LecunUniform", (fanIn, _) => Math.Sqrt(3.0 / fanIn));

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The limit used for the given fans.</summary>
    public double Limit(int fanIn, int fanOut) => _limit(Math.Max(1, fanIn), Math.Max(1, fanOut));

    /// <inheritdoc />
    public void Fill(Tensor tensor, int fanIn, int fanOut, Rng rng)
    {
        double limit = Limit(fanIn, fanOut);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)((2 * rng.NextDouble() - 1) * limit);
    }
}

using DlBook.Engine.Initializers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Tests.Initializers;

public class InitializerTests
{
    private const int FanIn = 100, FanOut = 50, N = 200_000;

    // name, expected std, uniform limit (0 for normal)
    public static TheoryData<string, double, double> Expected => new()
    {
        { "StandardNormal", 1.0, 0 },
        { "Normal1OverFanIn", 1 / Math.Sqrt(FanIn), 0 },
        { "GlorotNormal", Math.Sqrt(2.0 / (FanIn + FanOut)), 0 },
        { "HeNormal", Math.Sqrt(2.0 / FanIn), 0 },
        { "LecunNormal", Math.Sqrt(1.0 / FanIn), 0 },
        { "Uniform", 0.05 / Math.Sqrt(3), 0.05 },
        { "GlorotUniform", Math.Sqrt(6.0 / (FanIn + FanOut)) / Math.Sqrt(3), Math.Sqrt(6.0 / (FanIn + FanOut)) },
        { "HeUniform", Math.Sqrt(6.0 / FanIn) / Math.Sqrt(3), Math.Sqrt(6.0 / FanIn) },
        { "LecunUniform", Math.Sqrt(3.0 / FanIn) / Math.Sqrt(3), Math.Sqrt(3.0 / FanIn) },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void MeanStdAndBoundsMatchTheScheme(string name, double std, double limit)
    {
        var t = new Tensor(N);
        var init = InitializerFactory.Create(name.ToLowerInvariant());
        Assert.Equal(name, init.Name);
        init.Fill(t, FanIn, FanOut, new Rng(12));
        var v = t.Span.ToArray();
        double mean = v.Average(x => (double)x);
        double sd = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        Assert.InRange(mean, -5 * std / Math.Sqrt(N), 5 * std / Math.Sqrt(N));
        Assert.InRange(sd, 0.99 * std, 1.01 * std);
        if (limit > 0)
        {
            Assert.True(v.Max() <= limit && v.Min() >= -limit, $"{name}: values outside ±{limit}");
            Assert.True(v.Max() > 0.999 * limit && v.Min() < -0.999 * limit, $"{name}: range does not reach ±{limit}");
        }
        else
        {
            double within1 = v.Count(x => Math.Abs(x - mean) < sd) / (double)N; // normal, not uniform: 68.3 %
            Assert.InRange(within1, 0.677, 0.689);
        }
    }

    [Fact]
    public void ZerosFillsZeros()
    {
        var t = new Tensor(10);
        t.Span.Fill(3f);
        InitializerFactory.Create("Zeros").Fill(t, 1, 1, new Rng(1));
        Assert.All(t.Span.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void TypoGetsTheValidNames()
    {
        var e = Assert.Throws<ArgumentException>(() => InitializerFactory.Create("HeNormall"));
        Assert.Contains("HeNormall", e.Message);
        foreach (var n in new[] { "StandardNormal", "Normal1OverFanIn", "Uniform", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform", "Zeros" })
            Assert.Contains(n, e.Message);
    }
}

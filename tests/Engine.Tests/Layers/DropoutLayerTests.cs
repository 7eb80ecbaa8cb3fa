using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers;

public class DropoutLayerTests
{
    private static DropoutLayer Build(float rate, ulong seed = 1) =>
        (DropoutLayer)LayerFactory.Build(new LayerSpec { Kind = LayerKinds.Dropout, Name = "drop" }.With("rate", rate), [50], new Rng(seed));

    [Fact]
    public void TrainingDropsAboutRateAndScalesKeptValues()
    {
        var layer = Build(0.3f);
        var x = new Tensors.Tensor(200, 50);
        x.Span.Fill(2f);
        var y = layer.Forward(x, training: true).Span.ToArray();
        double dropped = y.Count(v => v == 0) / (double)y.Length;
        Assert.InRange(dropped, 0.28, 0.32);
        Assert.All(y.Where(v => v != 0), v => Assert.Equal(2f / 0.7f, v, 5));
        Assert.Equal(2.0, y.Average(), 1); // inverted dropout keeps the expectation
    }

    [Fact]
    public void InferenceIsTheIdentity()
    {
        var layer = Build(0.5f);
        var x = GradientCheck.Normal(new Rng(2), 1f, 3, 50);
        Assert.Equal(x.Span.ToArray(), layer.Forward(x, training: false).Span.ToArray());
        var dy = GradientCheck.Normal(new Rng(3), 1f, 3, 50);
        Assert.Equal(dy.Span.ToArray(), layer.Backward(dy).Span.ToArray());
    }

    [Fact]
    public void GradientWithAFixedMaskMatchesFiniteDifferences()
    {
        var rng = new Rng(4);
        var layer = Build(0.4f);
        var x = GradientCheck.Normal(rng, 1f, 3, 50);
        var r = GradientCheck.Normal(rng, 1f, 3, 50);
        layer.Forward(x, true);
        layer.FreezeMask = true;
        double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
        Cost();
        var dx = layer.Backward(r).Span.ToArray();
        Assert.Contains(0f, dx);
        GradientCheck.Assert("Dropout x", Cost, x.Span, dx, rtol: 1e-3, atol: 1e-3);
    }

    [Fact]
    public void SameSeedGivesSameMask()
    {
        var x = new Tensors.Tensor(4, 50);
        x.Span.Fill(1f);
        var a = Build(0.5f, seed: 8).Forward(x, true).Span.ToArray();
        var b = Build(0.5f, seed: 8).Forward(x, true).Span.ToArray();
        var c = Build(0.5f, seed: 9).Forward(x, true).Span.ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void RateOfOneIsRejectedNamingTheLayer()
    {
        var e = Assert.Throws<ArgumentException>(() => Build(1f));
        Assert.Contains("'drop'", e.Message);
    }
}

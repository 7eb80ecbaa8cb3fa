using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Convolution;

public class FlattenAndSpatialDropoutTests
{
    private static SpatialDropout2dLayer Dropout(float rate, int[] input, ulong seed = 1) =>
        (SpatialDropout2dLayer)LayerFactory.Build(new LayerSpec { Kind = LayerKinds.SpatialDropout2d, Name = "sd" }.With("rate", rate), input, new Rng(seed));

    [Fact]
    public void FlattenKeepsNchwOrderAndItsGradientMatchesFiniteDifferences()
    {
        var layer = LayerFactory.Build(new LayerSpec { Kind = LayerKinds.Flatten }, [2, 3, 4], null);
        Assert.Equal(new[] { 24 }, layer.Spec.OutputShape);
        var rng = new Rng(41);
        var x = GradientCheck.Normal(rng, 1f, 3, 2, 3, 4);
        var y = layer.Forward(x, training: true);
        Assert.Equal(new[] { 3, 24 }, y.ShapeArray);
        Assert.Equal(x.Span.ToArray(), y.Span.ToArray());
        var r = GradientCheck.Normal(rng, 1f, 3, 24);
        double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
        var dx = layer.Backward(r);
        Assert.Equal(new[] { 3, 2, 3, 4 }, dx.ShapeArray);
        GradientCheck.Assert("Flatten x", Cost, x.Span, dx.Span.ToArray(), rtol: 1e-3, atol: 1e-3);
    }

    [Fact]
    public void SpatialDropoutDropsWholeChannelsAndScalesTheKeptOnes()
    {
        var layer = Dropout(0.3f, [10, 3, 4]);
        var x = new Tensor(100, 10, 3, 4);
        x.Span.Fill(2f);
        var y = layer.Forward(x, training: true).Span.ToArray();
        int dropped = 0;
        for (int p = 0; p < 100 * 10; p++)
        {
            var plane = y.AsSpan(p * 12, 12).ToArray();
            Assert.True(plane.All(v => v == 0) || plane.All(v => Math.Abs(v - 2f / 0.7f) < 1e-5), $"channel plane {p} is partly dropped");
            if (plane[0] == 0) dropped++;
        }
        Assert.InRange(dropped / 1000.0, 0.25, 0.35);
        Assert.Equal(2.0, y.Average(), 1); // inverted scaling keeps the expectation
    }

    [Fact]
    public void SpatialDropoutIsTheIdentityAtInference()
    {
        var layer = Dropout(0.5f, [3, 2, 2]);
        var x = GradientCheck.Normal(new Rng(42), 1f, 4, 3, 2, 2);
        Assert.Equal(x.Span.ToArray(), layer.Forward(x, training: false).Span.ToArray());
        var dy = GradientCheck.Normal(new Rng(43), 1f, 4, 3, 2, 2);
        Assert.Equal(dy.Span.ToArray(), layer.Backward(dy).Span.ToArray());
    }

    [Fact]
    public void SpatialDropoutGradientWithAFixedMaskMatchesFiniteDifferences()
    {
        var rng = new Rng(44);
        var layer = Dropout(0.4f, [4, 3, 3], seed: 2);
        var x = GradientCheck.Normal(rng, 1f, 3, 4, 3, 3);
        var r = GradientCheck.Normal(rng, 1f, 3, 4, 3, 3);
        layer.Forward(x, true);
        layer.FreezeMask = true;
        double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
        Cost();
        Assert.Contains(0f, layer.Mask.ToArray());
        Assert.Contains(1f / 0.6f, layer.Mask.ToArray());
        var dx = layer.Backward(r).Span.ToArray();
        GradientCheck.Assert("SpatialDropout2d x", Cost, x.Span, dx, rtol: 1e-3, atol: 1e-3);
    }

    [Fact]
    public void SpatialDropoutSameSeedGivesTheSameMask()
    {
        var x = new Tensor(4, 8, 2, 2);
        x.Span.Fill(1f);
        var a = Dropout(0.5f, [8, 2, 2], seed: 8).Forward(x, true).Span.ToArray();
        var b = Dropout(0.5f, [8, 2, 2], seed: 8).Forward(x, true).Span.ToArray();
        var c = Dropout(0.5f, [8, 2, 2], seed: 9).Forward(x, true).Span.ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(null, "needs the setting 'rate'")]
    [InlineData(1f, "'rate' must be in [0, 1)")]
    [InlineData(-0.1f, "'rate' must be in [0, 1)")]
    public void SpatialDropoutBadRateThrowsNamingTheLayer(float? rate, string says)
    {
        var spec = new LayerSpec { Kind = LayerKinds.SpatialDropout2d, Name = "sd2" };
        if (rate is float r) spec.With("rate", r);
        var e = Assert.Throws<ArgumentException>(() => LayerFactory.Build(spec, [3, 4, 4], null));
        Assert.Contains("'sd2' (SpatialDropout2d)", e.Message);
        Assert.Contains(says, e.Message);
    }
}

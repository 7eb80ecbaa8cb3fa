using DlBook.Engine.Layers;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Tests.Optimizers;

public class RegularizationAndClippingTests
{
    private static (Parameter W, Parameter B) Pair()
    {
        var w = new Parameter("W", new Tensor([2f, -4f, 0.5f], 3), isWeight: true);
        var b = new Parameter("b", new Tensor([1f], 1), isWeight: false);
        new float[] { 0.3f, -0.1f, 0.2f }.CopyTo(w.Gradient.Span);
        b.Gradient.Span[0] = 0.4f;
        return (w, b);
    }

    [Fact]
    public void L2ThenSgdIsNetwork2sWeightDecayUpdate()
    {
        const float eta = 0.1f, lambda = 5f, n = 50_000f;
        var (w, b) = Pair();
        var before = w.Value.Span.ToArray();
        var grad = w.Gradient.Span.ToArray();
        L2Regularization.AddToGradients([w, b], lambda / n);
        new Sgd().Step([w, b], eta);
        for (int i = 0; i < 3; i++)
            Assert.Equal((1 - eta * lambda / n) * before[i] - eta * grad[i], w.Value.Span[i], 6);
        Assert.Equal(1f - eta * 0.4f, b.Value.Span[0], 6); // biases are not decayed

        var (w2, b2) = Pair();
        new Sgd(weightDecay: lambda / n).Step([w2, b2], eta); // the fused form gives the same weights (to rounding)
        for (int i = 0; i < 3; i++) Assert.Equal(w.Value.Span[i], w2.Value.Span[i], 6);
        Assert.Equal(b.Value.Span[0], b2.Value.Span[0], 6);
    }

    [Fact]
    public void PenaltyIsHalfCoefficientTimesSumOfSquaredWeights()
    {
        var (w, b) = Pair();
        Assert.Equal(0.5 * 0.01 * (4 + 16 + 0.25), L2Regularization.Penalty([w, b], 0.01f), 7);
    }

    [Fact]
    public void GlobalNormClippingScalesAllGradientsAndReturnsTheNorm()
    {
        var a = new Parameter("W", new Tensor(2), true);
        var c = new Parameter("b", new Tensor(1), false);
        new float[] { 3f, 4f }.CopyTo(a.Gradient.Span);
        c.Gradient.Span[0] = 12f;
        double norm = GradientClipping.ByGlobalNorm([a, c], 6.5f);
        Assert.Equal(13.0, norm, 5);
        double k = 6.5 / (13 + 1e-6);
        Assert.Equal(3 * k, a.Gradient.Span[0], 5);
        Assert.Equal(12 * k, c.Gradient.Span[0], 5);
        Assert.Equal(6.5, GradientClipping.ByGlobalNorm([a, c], 100f), 4); // below the limit: untouched
        Assert.Equal(3 * k, a.Gradient.Span[0], 5);
    }

    [Fact]
    public void ValueClippingClampsEachElement()
    {
        var (w, _) = Pair();
        GradientClipping.ByValue([w], 0.15f);
        Assert.Equal([0.15f, -0.1f, 0.15f], w.Gradient.Span.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ByValue([w], 0f));
    }
}

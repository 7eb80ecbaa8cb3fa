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

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(23_520)]
    [InlineData(23_533)]
    public void DeferredL2FusedIntoSgdGivesTheBitsOfTheEagerPasses(int length)
    {
        const float coefficient = 1e-4f, eta = 0.1f;
        var rng = new System.Random(length);
        var values = Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var grads = Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1) * 0.01f).ToArray();

        // Eager: the L2 pass and the SGD pass written out as they were before the fusion.
        var w = (float[])values.Clone();
        var g = (float[])grads.Clone();
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(w, coefficient, g, g);
        for (int i = 0; i < length; i++) w[i] = w[i] - eta * g[i];

        // Deferred, at every offset from a 64-byte boundary (the fused loop aligns on the weights).
        for (int offset = 0; offset < 16; offset += 5)
        {
            var backing = new float[length + offset];
            values.CopyTo(backing, offset);
            var p = new Parameter("W", new Tensor(backing[offset..], length), isWeight: true);
            grads.CopyTo(p.Gradient.Span);
            L2Regularization.AddToGradients([p], coefficient);
            new Sgd().Step([p], eta);
            Assert.Equal(w, p.Value.Span.ToArray());
            Assert.Equal(g, p.Gradient.Span.ToArray()); // the gradient still shows the L2 term afterwards
        }
    }

    [Fact]
    public void AReadBetweenL2AndTheStepSeesTheRegularisedGradient()
    {
        var (w, b) = Pair();
        var expected = w.Gradient.Span.ToArray();
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(w.Value.Span, 0.5f, expected, expected);
        L2Regularization.AddToGradients([w, b], 0.5f);
        Assert.Equal(expected, w.Gradient.Span.ToArray());
        Assert.Equal(0.4f, b.Gradient.Span[0]);

        // Twice before a step: both terms, in order.
        var (w2, b2) = Pair();
        var twice = w2.Gradient.Span.ToArray();
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(w2.Value.Span, 0.5f, twice, twice);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(w2.Value.Span, 0.25f, twice, twice);
        L2Regularization.AddToGradients([w2, b2], 0.5f);
        L2Regularization.AddToGradients([w2, b2], 0.25f);
        Assert.Equal(twice, w2.Gradient.Span.ToArray());

        // Another optimiser reads the gradient through the property and so sees the term too.
        var (w3, b3) = Pair();
        var (w4, b4) = Pair();
        L2Regularization.AddToGradients([w3, b3], 0.5f);
        new Momentum(0.9f).Step([w3, b3], 0.1f);
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(w4.Value.Span, 0.5f, w4.Gradient.Span, w4.Gradient.Span);
        new Momentum(0.9f).Step([w4, b4], 0.1f);
        Assert.Equal(w4.Value.Span.ToArray(), w3.Value.Span.ToArray());
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

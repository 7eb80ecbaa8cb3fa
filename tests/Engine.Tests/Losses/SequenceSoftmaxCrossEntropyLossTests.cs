using DlBook.Engine.Losses;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Losses;

public class SequenceSoftmaxCrossEntropyLossTests
{
    private static (Tensor Z, Tensor Y) Batch(ulong seed, int batch, int steps, int classes)
    {
        var rng = new Rng(seed);
        var z = GradientCheck.Normal(rng, 2f, batch, steps, classes);
        var y = new Tensor(batch, steps);
        for (int i = 0; i < y.Length; i++) y.Span[i] = rng.NextInt(classes);
        return (z, y);
    }

    [Fact]
    public void GradientWithRespectToEveryStepsLogitsMatchesFiniteDifferences()
    {
        var loss = new SequenceSoftmaxCrossEntropyLoss();
        var (z, y) = Batch(3, 3, 4, 5);
        var scratch = new Tensor(1, 1, 1);
        double Cost() => loss.Compute(z, y, scratch);
        var g = new Tensor(3, 4, 5);
        loss.Compute(z, y, g);
        GradientCheck.Assert("SequenceSoftmaxCrossEntropy", Cost, z.Span, g.Span.ToArray(), h: 1e-2, rtol: 2e-2, atol: 1e-4);
    }

    [Fact]
    public void ValueIsTheMeanNegativeLogLikelihoodOverBatchAndSteps()
    {
        var (z, y) = Batch(4, 2, 3, 7);
        double expected = 0;
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 3; t++)
            {
                var zr = Enumerable.Range(0, 7).Select(k => (double)z.Span[(b * 3 + t) * 7 + k]).ToArray();
                double max = zr.Max(), lse = max + Math.Log(zr.Sum(v => Math.Exp(v - max)));
                expected += lse - zr[(int)y.Span[b * 3 + t]];
            }
        expected /= 6;
        var g = new Tensor(2, 3, 7);
        Assert.Equal(expected, new SequenceSoftmaxCrossEntropyLoss().Compute(z, y, g), 5);
        // The fused gradient: softmax − one-hot, over batch·T; each step's row sums to zero.
        for (int i = 0; i < 6; i++)
        {
            var row = g.Span.Slice(i * 7, 7).ToArray();
            Assert.Equal(0, row.Sum(), 5);
            Assert.True(row[(int)y.Span[i]] < 0);
        }
    }

    [Fact]
    public void EqualsThePerRowSoftmaxCrossEntropyOnEachStepReshapedAsRows()
    {
        // [batch, T, V] against ids is the per-row loss on [batch·T, V] against one-hot rows.
        var (z, y) = Batch(5, 4, 6, 9);
        var rows = new Tensor(z.Span.ToArray(), 24, 9);
        var oneHot = new Tensor(24, 9);
        for (int i = 0; i < 24; i++) oneHot.Span[i * 9 + (int)y.Span[i]] = 1f;
        var gRows = new Tensor(24, 9);
        float expected = new SoftmaxCrossEntropyLoss().Compute(rows, oneHot, gRows);
        var g = new Tensor(4, 6, 9);
        float actual = new SequenceSoftmaxCrossEntropyLoss().Compute(z, y, g);
        Assert.Equal(expected, actual, 5);
        for (int i = 0; i < g.Length; i++) Assert.Equal(gRows.Span[i], g.Span[i], 6);
    }

    [Fact]
    public void UniformLogitsCostLnVNatsAndLargeLogitsStayFinite()
    {
        var z = new Tensor(1, 2, 65);
        var y = new Tensor([3f, 64f], 1, 2);
        Assert.Equal(Math.Log(65), new SequenceSoftmaxCrossEntropyLoss().Compute(z, y, new Tensor(1, 2, 65)), 5);
        z.Span[3] = 1000f;
        z.Span[65 + 1] = 1000f;
        float c = new SequenceSoftmaxCrossEntropyLoss().Compute(z, y, new Tensor(1, 2, 65));
        Assert.Equal(500f, c, 2);   // step 0 right (cost 0), step 1 wrong by 1000 nats
    }

    [Fact]
    public void TargetsThatAreNotClassIdsAreRejectedNamingTheStep()
    {
        var loss = new SequenceSoftmaxCrossEntropyLoss();
        var bad = Assert.Throws<ArgumentException>(() => loss.Compute(new Tensor(2, 3, 4), new Tensor([0f, 1f, 2f, 3f, 4f, 0f], 2, 3), new Tensor(2, 3, 4)));
        Assert.Contains("row 1, step 1", bad.Message);
        var shape = Assert.Throws<ArgumentException>(() => loss.Compute(new Tensor(2, 3, 4), new Tensor(2, 4), new Tensor(2, 3, 4)));
        Assert.Contains("[2, 3]", shape.Message);
        Assert.Throws<ArgumentException>(() => loss.Compute(new Tensor(2, 12), new Tensor(2, 3), new Tensor(2, 12)));
    }
}

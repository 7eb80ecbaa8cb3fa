using DlBook.Engine.Activations;
using DlBook.Engine.Losses;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Losses;

public class LossTests
{
    public static TheoryData<string> Names => new(LossFactory.Names);

    private static (Tensor Z, Tensor Y) Batch(string name, ulong seed)
    {
        var rng = new Rng(seed);
        var z = GradientCheck.Normal(rng, 2f, 4, 6);
        var y = name.StartsWith("QuadraticIdentity") ? GradientCheck.Normal(rng, 1f, 4, 6) : GradientCheck.OneHot(rng, 4, 6);
        return (z, y);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void GradientWithRespectToLogitsMatchesFiniteDifferences(string name)
    {
        var loss = LossFactory.Create(name);
        var (z, y) = Batch(name, 7);
        var scratch = new Tensor(4, 6);
        double Cost() => loss.Compute(z, y, scratch);
        var g = new Tensor(4, 6);
        loss.Compute(z, y, g);
        GradientCheck.Assert(name, Cost, z.Span, g.Span.ToArray(), h: 1e-2, rtol: 2e-2, atol: 1e-4);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ValueMatchesTheDoubleFormulaAveragedOverTheBatch(string name)
    {
        var loss = LossFactory.Create(name);
        var (z, y) = Batch(name, 8);
        double expected = 0;
        for (int r = 0; r < 4; r++)
        {
            var zr = z.Row(r).ToArray().Select(v => (double)v).ToArray();
            var yr = y.Row(r).ToArray();
            double max = zr.Max(), lse = max + Math.Log(zr.Sum(v => Math.Exp(v - max)));
            for (int j = 0; j < 6; j++)
            {
                double a = 1 / (1 + Math.Exp(-zr[j]));
                expected += name switch
                {
                    "CrossEntropy" => -yr[j] * Math.Log(a) - (1 - yr[j]) * Math.Log(1 - a),
                    "Quadratic" => 0.5 * (a - yr[j]) * (a - yr[j]),
                    "QuadraticIdentity" => 0.5 * (zr[j] - yr[j]) * (zr[j] - yr[j]),
                    _ => -yr[j] * (zr[j] - lse),
                };
            }
        }
        expected /= 4;
        Assert.Equal(expected, loss.Compute(z, y, new Tensor(4, 6)), 4);
    }

    [Fact]
    public void CrossEntropyDeltaIsOutputMinusTargetOverBatch()
    {
        var z = new Tensor([0f, 2f, -1f, 0.5f], 2, 2);
        var y = new Tensor([1f, 0f, 0f, 1f], 2, 2);
        var g = new Tensor(2, 2);
        new CrossEntropyLoss().Compute(z, y, g);
        double S(double v) => 1 / (1 + Math.Exp(-v));
        Assert.Equal((S(0) - 1) / 2, g.Span[0], 6);
        Assert.Equal(S(2) / 2, g.Span[1], 6);
        Assert.Equal((S(0.5) - 1) / 2, g.Span[3], 6);
    }

    [Fact]
    public void QuadraticDeltaCarriesTheSigmoidDerivative()
    {
        var z = new Tensor([3f], 1, 1);
        var y = new Tensor([0f], 1, 1);
        var g = new Tensor(1, 1);
        new QuadraticLoss().Compute(z, y, g);
        double a = 1 / (1 + Math.Exp(-3));
        Assert.Equal(a * a * (1 - a), g.Span[0], 6); // the slow learning of saturated neurons
    }

    [Fact]
    public void SaturatedLogitsGiveFiniteCosts()
    {
        var z = new Tensor([100f, -100f, 80f], 1, 3);
        var y = new Tensor([0f, 1f, 0f], 1, 3);
        float ce = new CrossEntropyLoss().Compute(z, y, new Tensor(1, 3));
        Assert.Equal(280f, ce, 2);
        float sce = new SoftmaxCrossEntropyLoss().Compute(z, y, new Tensor(1, 3));
        Assert.Equal(200f, sce, 2);
    }

    [Fact]
    public void OutputActivationsAndNamesRoundTrip()
    {
        Assert.Equal(Activation.Sigmoid, LossFactory.Create("crossentropy").OutputActivation);
        Assert.Equal(Activation.Softmax, LossFactory.Create("SoftmaxCrossEntropy").OutputActivation);
        Assert.Equal(Activation.Identity, LossFactory.Create("mse").OutputActivation);
        foreach (var n in LossFactory.Names) Assert.Equal(n, LossFactory.Create(n).Name);
        var e = Assert.Throws<ArgumentException>(() => LossFactory.Create("hinge"));
        Assert.Contains("SoftmaxCrossEntropy", e.Message);
    }

    [Fact]
    public void MismatchedTargetsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyLoss().Compute(new Tensor(2, 10), new Tensor(2, 9), new Tensor(2, 10)));
        Assert.Contains("one-hot", e.Message);
    }

    [Fact]
    public void CrossEntropyDeltaGivesTheBitsOfSigmoidMinusTargetOverBatch()
    {
        var rng = new System.Random(12);
        foreach (var (rows, cols) in new[] { (10, 10), (1, 3), (3, 7), (2, 16), (5, 33) })
        {
            var z = new Tensor(Enumerable.Range(0, rows * cols).Select(_ => (float)((rng.NextDouble() * 2 - 1) * 20)).ToArray(), rows, cols);
            var y = new Tensor(Enumerable.Range(0, rows * cols).Select(i => i % cols == i / cols % cols ? 1f : 0f).ToArray(), rows, cols);
            var expected = new float[rows * cols];
            System.Numerics.Tensors.TensorPrimitives.Sigmoid(z.Span, expected);
            System.Numerics.Tensors.TensorPrimitives.Subtract(expected, y.Span, expected);
            System.Numerics.Tensors.TensorPrimitives.Multiply(expected, 1f / rows, expected);
            var g = new Tensor(rows, cols);
            new CrossEntropyLoss().Compute(z, y, g);
            Assert.Equal(expected, g.Span.ToArray());
        }
    }
}

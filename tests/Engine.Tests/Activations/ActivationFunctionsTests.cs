using DlBook.Engine.Activations;
using DlBook.Engine.Random;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Activations;

public class ActivationFunctionsTests
{
    public static TheoryData<Activation> All => new(Enum.GetValues<Activation>());

    // Double-precision reference of every activation for one row.
    private static double[] Reference(Activation act, float[] z, float alpha)
    {
        var y = new double[z.Length];
        double max = z.Max(), lse = Math.Log(z.Sum(v => Math.Exp(v - max))) + max;
        for (int i = 0; i < z.Length; i++)
        {
            double v = z[i];
            y[i] = act switch
            {
                Activation.Identity => v,
                Activation.Sigmoid => 1 / (1 + Math.Exp(-v)),
                Activation.Tanh => Math.Tanh(v),
                Activation.Relu => Math.Max(0, v),
                Activation.LeakyRelu => v > 0 ? v : alpha * v,
                Activation.Elu => v > 0 ? v : alpha * (Math.Exp(v) - 1),
                Activation.Softmax => Math.Exp(v - lse),
                Activation.LogSoftmax => v - lse,
                _ => throw new ArgumentOutOfRangeException(nameof(act)),
            };
        }
        return y;
    }

    [Theory]
    [MemberData(nameof(All))]
    public void ForwardMatchesDoubleReferenceAcrossVectorAndTailLengths(Activation act)
    {
        var rng = new Rng(3);
        const int cols = 37; // two 16-wide vectors and a tail of 5
        var z = GradientCheck.Normal(rng, 3f, 4, cols);
        var y = new float[z.Length];
        float alpha = ActivationFunctions.DefaultAlpha(act);
        ActivationFunctions.Forward(act, z.Span, y, cols);
        for (int r = 0; r < 4; r++)
        {
            var expected = Reference(act, z.Row(r).ToArray(), alpha);
            for (int j = 0; j < cols; j++)
                Assert.True(Math.Abs(expected[j] - y[r * cols + j]) <= 2e-6 * Math.Max(1, Math.Abs(expected[j])),
                    $"{act} row {r} col {j}: expected {expected[j]}, got {y[r * cols + j]}");
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void BackwardFromSavedOutputMatchesFiniteDifferences(Activation act)
    {
        var rng = new Rng(11);
        const int rows = 3, cols = 21;
        var z = GradientCheck.Normal(rng, 1.5f, rows, cols);
        // Keep clear of the kinks of ReLU-like functions, where the derivative jumps.
        foreach (ref float v in z.Span) if (MathF.Abs(v) < 0.05f) v = v < 0 ? -0.1f : 0.1f;
        var r = GradientCheck.Normal(rng, 1f, rows, cols);
        var y = new float[z.Length];
        double Cost()
        {
            ActivationFunctions.Forward(act, z.Span, y, cols);
            return GradientCheck.Project(y, r.Span);
        }
        Cost();
        var dz = new float[z.Length];
        ActivationFunctions.Backward(act, y, r.Span, dz, cols);
        GradientCheck.Assert(act.ToString(), Cost, z.Span, dz, h: 1e-2);
    }

    [Fact]
    public void CustomAlphaIsUsedByLeakyReluAndElu()
    {
        float[] z = [-2f, 3f];
        var y = new float[2];
        ActivationFunctions.Forward(Activation.LeakyRelu, z, y, alpha: 0.2f);
        Assert.Equal([-0.4f, 3f], y);
        ActivationFunctions.Forward(Activation.Elu, z, y, alpha: 0.5f);
        Assert.Equal(0.5 * (Math.Exp(-2) - 1), y[0], 6);
        var dz = new float[2];
        ActivationFunctions.Backward(Activation.Elu, y, [1f, 1f], dz, alpha: 0.5f);
        Assert.Equal(0.5 * Math.Exp(-2), dz[0], 6);
        Assert.Equal(1f, dz[1]);
    }

    [Fact]
    public void SoftmaxStaysFiniteForHugeLogits()
    {
        float[] z = [1000f, 999f, -1000f];
        var y = new float[3];
        ActivationFunctions.Forward(Activation.Softmax, z, y, 3);
        Assert.Equal(1 / (1 + Math.Exp(-1)), y[0], 6);
        ActivationFunctions.Forward(Activation.LogSoftmax, z, y, 3);
        Assert.Equal(-Math.Log(1 + Math.Exp(-1)), y[0], 5);
        Assert.True(float.IsFinite(y[2]));
    }

    [Fact]
    public void ParseIsCaseInsensitiveAndListsNamesOnTypos()
    {
        Assert.Equal(Activation.LeakyRelu, ActivationFunctions.Parse("leakyrelu"));
        var e = Assert.Throws<ArgumentException>(() => ActivationFunctions.Parse("sigmod"));
        Assert.Contains("Sigmoid", e.Message);
        Assert.Contains("sigmod", e.Message);
    }

    [Fact]
    public void RowWiseActivationWithoutColumnsIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => ActivationFunctions.Forward(Activation.Softmax, new float[6], new float[6], cols: 4));
        Assert.Contains("cols", e.Message);
    }

    [Fact]
    public void SigmoidGivesTheLibraryBitsAtEveryLengthAndInPlace()
    {
        var rng = new System.Random(11);
        for (int n = 1; n <= 100; n++)
        {
            var z = Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * 30)).ToArray();
            if (n > 4) { z[0] = 100f; z[1] = -100f; z[2] = -0f; z[3] = float.NaN; }
            var expected = new float[n];
            System.Numerics.Tensors.TensorPrimitives.Sigmoid(z, expected);
            var y = Enumerable.Repeat(-7f, n + 3).ToArray();
            ActivationFunctions.Forward(Activation.Sigmoid, z, y);
            Assert.Equal(expected, y[..n]);
            Assert.All(y[n..], v => Assert.Equal(-7f, v)); // nothing written past the end
            ActivationFunctions.Forward(Activation.Sigmoid, z, z);
            Assert.Equal(expected, z);
        }
    }
}

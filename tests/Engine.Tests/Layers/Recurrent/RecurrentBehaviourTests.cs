using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Recurrent;

public class RecurrentBehaviourTests
{
    [Theory]
    [InlineData(LayerKinds.SimpleRnn, 1)]
    [InlineData(LayerKinds.Lstm, 4)]
    [InlineData(LayerKinds.Gru, 3)]
    public void SpecHasTheOnnxParameterLayoutAndOrthogonalRecurrentBlocks(string kind, int gates)
    {
        const int h = 8, inputs = 5;
        var spec = new LayerSpec { Kind = kind }.With("units", h).With("bidirectional", true);
        var layer = (RecurrentLayer)LayerFactory.Build(spec, [10, inputs], new Rng(1));
        Assert.Equal(["W", "R", "B"], spec.Parameters.Select(p => p.Name));
        Assert.Equal(new[] { 2, gates * h, inputs }, spec.Parameters[0].Shape);
        Assert.Equal(new[] { 2, gates * h, h }, spec.Parameters[1].Shape);
        Assert.Equal(new[] { 2, 2 * gates * h }, spec.Parameters[2].Shape);
        Assert.Equal(new[] { 2 * h }, spec.OutputShape);
        Assert.Equal("Orthogonal", spec.GetString("recurrentInit"));
        var r = layer.Recurrence.Value.Span;
        for (int block = 0; block < 2 * gates; block++)
        {
            var q = r.Slice(block * h * h, h * h);
            for (int i = 0; i < h; i++)
                for (int j = 0; j < h; j++)
                {
                    double dot = 0;
                    for (int k = 0; k < h; k++) dot += q[k * h + i] * q[k * h + j];
                    Assert.Equal(i == j ? 1.0 : 0.0, dot, 1e-5);
                }
        }
    }

    [Fact]
    public void LstmForgetBiasStartsAtOne()
    {
        const int h = 6;
        var layer = (LstmLayer)LayerFactory.Build(new LayerSpec { Kind = LayerKinds.Lstm }.With("units", h).With("bidirectional", true), [4, 3], new Rng(2));
        var b = layer.Bias.Value.Span;
        for (int d = 0; d < 2; d++)
            for (int j = 0; j < 8 * h; j++)
                Assert.Equal(j >= 2 * h && j < 3 * h ? 1f : 0f, b[d * 8 * h + j]);
    }

    [Fact]
    public void TruncatedBackPropagationStopsAtTheWindow()
    {
        const int steps = 20, k = 5;
        var layer = RecurrentGradientTests.Build(LayerKinds.Lstm, steps, 3, 4, false, true, 1, bptt: k);
        var rng = new Rng(3);
        var x = GradientCheck.Normal(rng, 1f, 2, steps, 3);
        var y = layer.Forward(x, true);
        var dx = layer.Backward(GradientCheck.Normal(rng, 1f, y.ShapeArray));
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < steps; t++)
            {
                double n = Norm(dx.Span.Slice((b * steps + t) * 3, 3));
                if (t < steps - k) Assert.Equal(0.0, n);
                else Assert.True(n > 0, $"row {b} step {t}");
            }
        for (int t = 0; t < steps; t++) Assert.Equal(t >= steps - k, layer.HiddenGradientNorms[t] > 0);
        Assert.All(layer.InitialStateGradient.Span.ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(LayerKinds.SimpleRnn)]
    [InlineData(LayerKinds.Lstm)]
    [InlineData(LayerKinds.Gru)]
    public void PaddedStepsAreZeroAndGetNoGradientAndTheLastStateRespectsLengths(string kind)
    {
        const int steps = 9;
        int[] lengths = [9, 4, 0];
        var seq = RecurrentGradientTests.Build(kind, steps, 3, 5, true, true, 7);
        var last = RecurrentGradientTests.Build(kind, steps, 3, 5, true, false, 7);
        var rng = new Rng(4);
        var x = GradientCheck.Normal(rng, 1f, 3, steps, 3);
        seq.SetLengths(lengths);
        last.SetLengths(lengths);
        var ys = seq.Forward(x, true).Span.ToArray();
        var yl = last.Forward(x, true).Span.ToArray();
        for (int b = 0; b < 3; b++)
        {
            int len = lengths[b];
            for (int t = len; t < steps; t++)
                Assert.All(ys.AsSpan((b * steps + t) * 10, 10).ToArray(), v => Assert.Equal(0f, v));
            // Forward direction ends at t = len − 1; the backward direction's last state is at t = 0. Length 0: h0 = 0.
            for (int j = 0; j < 5; j++)
            {
                Assert.Equal(len > 0 ? ys[(b * steps + len - 1) * 10 + j] : 0f, yl[b * 10 + j]);
                Assert.Equal(len > 0 ? ys[(b * steps) * 10 + 5 + j] : 0f, yl[b * 10 + 5 + j]);
            }
        }
        var dx = seq.Backward(GradientCheck.Normal(rng, 1f, 3, steps, 10)).Span;
        for (int b = 0; b < 3; b++)
            for (int t = lengths[b]; t < steps; t++)
                Assert.Equal(0.0, Norm(dx.Slice((b * steps + t) * 3, 3)));
        for (int t = 0; t < steps; t++) Assert.True(seq.HiddenGradientNorms[t] > 0);
    }

    [Fact]
    public void PaddingDoesNotChangeTheValidSteps()
    {
        // A row of length 4 padded to 9 gives the same outputs and input gradients as the same row with T = 4.
        var padded = RecurrentGradientTests.Build(LayerKinds.Gru, 9, 2, 3, true, true, 9);
        var exact = RecurrentGradientTests.Build(LayerKinds.Gru, 4, 2, 3, true, true, 9);
        var rng = new Rng(6);
        var x = GradientCheck.Normal(rng, 1f, 1, 9, 2);
        var x4 = new Tensor(x.Span[..8].ToArray(), 1, 4, 2);
        padded.SetLengths([4]);
        var yp = padded.Forward(x, true).Span[..24].ToArray();
        var ye = exact.Forward(x4, true).Span.ToArray();
        Assert.Equal(ye, yp);
        var dy = GradientCheck.Normal(rng, 1f, 1, 9, 6);
        var dxp = padded.Backward(dy).Span[..8].ToArray();
        var dxe = exact.Backward(new Tensor(dy.Span[..24].ToArray(), 1, 4, 6)).Span.ToArray();
        for (int i = 0; i < 8; i++) Assert.Equal(dxe[i], dxp[i], 1e-6f);
    }

    [Fact]
    public void StackedLstmCharModelBuildsTrainsAndIsDeterministic()
    {
        float[] Train()
        {
            var specs = new List<LayerSpec>
            {
                new LayerSpec { Kind = LayerKinds.Embedding }.With("vocab", 11).With("dim", 4),
                new LayerSpec { Kind = LayerKinds.Lstm }.With("units", 6).With("returnSequences", true),
                new LayerSpec { Kind = LayerKinds.Lstm }.With("units", 5),
                new LayerSpec { Kind = LayerKinds.Dense }.With("units", 3),
            };
            var net = new Sequential(specs, [12], Activation.Softmax, new Rng(42));
            Assert.Equal(["embedding1", "lstm1", "lstm2", "dense1"], net.Specs.Select(s => s.Name));
            Assert.Equal(new[] { 12, 4 }, net.Specs[0].OutputShape);
            Assert.Equal(new[] { 12, 6 }, net.Specs[1].OutputShape);
            Assert.Equal(new[] { 5 }, net.Specs[2].OutputShape);
            var rng = new Rng(1);
            var ids = new Tensor(4, 12);
            for (int i = 0; i < ids.Length; i++) ids.Span[i] = rng.NextInt(11);
            var targets = GradientCheck.OneHot(rng, 4, 3);
            var loss = LossFactory.Create("SoftmaxCrossEntropy");
            var adam = OptimizerFactory.Create("Adam");
            var dz = new Tensor(4, 3);
            net.SetSequenceLengths([12, 7, 3, 12]);
            double first = 0, latest = 0;
            for (int step = 0; step < 30; step++)
            {
                latest = loss.Compute(net.Forward(ids, true), targets, dz);
                if (step == 0) first = latest;
                net.Backward(dz);
                adam.Step(net.Parameters, 0.01f);
            }
            Assert.True(latest < first, $"loss {first} → {latest}");
            return net.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
        }
        var a = Train();
        var b = Train();
        Assert.Equal(a.Select(BitConverter.SingleToInt32Bits), b.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void EmbeddingRejectsAnIdOutsideTheVocabularyNamingLayerRowAndStep()
    {
        var layer = LayerFactory.Build(new LayerSpec { Kind = LayerKinds.Embedding, Name = "tokens" }.With("vocab", 5).With("dim", 2), [3], new Rng(1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => layer.Forward(new Tensor([1, 2, 3, 4, 7, 0], 2, 3), true));
        Assert.Contains("'tokens'", e.Message);
        Assert.Contains("token id 7", e.Message);
        Assert.Contains("row 1, step 1", e.Message);
    }

    [Fact]
    public void WrongLengthsAndInitialStatesNameTheLayer()
    {
        var layer = RecurrentGradientTests.Build(LayerKinds.Lstm, 5, 2, 3, false, false, 1);
        var x = new Tensor(2, 5, 2);
        layer.SetLengths([5, 6]);
        Assert.Contains("'rec'", Assert.Throws<ArgumentException>(() => layer.Forward(x, true)).Message);
        layer.SetLengths([5]);
        Assert.Contains("2 rows", Assert.Throws<ArgumentException>(() => layer.Forward(x, true)).Message);
        layer.SetLengths([]);
        layer.InitialState = new Tensor(1, 3, 3);
        Assert.Contains("[1, 2, 3]", Assert.Throws<ArgumentException>(() => layer.Forward(x, true)).Message);
    }

    private static double Norm(ReadOnlySpan<float> v) => DlBook.Engine.Diagnostics.LearningSpeed.Norm(v);
}

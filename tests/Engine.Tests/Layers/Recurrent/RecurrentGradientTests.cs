using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Recurrent;

public class RecurrentGradientTests
{
    internal static RecurrentLayer Build(string kind, int steps, int inputs, int units, bool bidirectional, bool returnSequences,
        ulong seed, int bptt = 0)
    {
        var spec = new LayerSpec { Kind = kind, Name = "rec" }.With("units", units)
            .With("bidirectional", bidirectional).With("returnSequences", returnSequences).With("bpttSteps", bptt)
            .With("biasInit", "Uniform");
        var layer = (RecurrentLayer)LayerFactory.Build(spec, [steps, inputs], new Rng(seed));
        return layer;
    }

    [Theory]
    // kind, bidirectional, returnSequences, lengths, initial state
    [InlineData(LayerKinds.SimpleRnn, false, true, false, false)]
    [InlineData(LayerKinds.SimpleRnn, true, false, true, true)]
    [InlineData(LayerKinds.Lstm, false, true, false, false)]
    [InlineData(LayerKinds.Lstm, false, false, false, true)]
    [InlineData(LayerKinds.Lstm, true, true, true, false)]
    [InlineData(LayerKinds.Lstm, true, false, true, true)]
    [InlineData(LayerKinds.Gru, false, true, false, false)]
    [InlineData(LayerKinds.Gru, false, false, true, true)]
    [InlineData(LayerKinds.Gru, true, true, true, true)]
    public void GradientsThroughTwentyStepsMatchFiniteDifferences(string kind, bool bidirectional, bool returnSequences,
        bool withLengths, bool withInitialState)
    {
        const int batch = 3, steps = 20, inputs = 3, units = 4;
        var rng = new Rng(11);
        var layer = Build(kind, steps, inputs, units, bidirectional, returnSequences, 3);
        int dirs = layer.Directions;
        var x = GradientCheck.Normal(rng, 1f, batch, steps, inputs);
        if (withLengths) layer.SetLengths([20, 13, 1]);
        if (withInitialState) layer.InitialState = GradientCheck.Normal(rng, 0.5f, dirs, batch, units);
        if (withInitialState && layer is LstmLayer lstm) lstm.InitialCellState = GradientCheck.Normal(rng, 0.5f, dirs, batch, units);
        var y0 = layer.Forward(x, true);
        var r = GradientCheck.Normal(rng, 1f, y0.ShapeArray);
        double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
        Cost();
        var dx = layer.Backward(r).Span.ToArray();
        var dW = layer.Weights.Gradient.Span.ToArray();
        var dR = layer.Recurrence.Gradient.Span.ToArray();
        var dB = layer.Bias.Gradient.Span.ToArray();
        var dh0 = layer.InitialStateGradient.Span.ToArray();
        float[]? dc0 = (layer as LstmLayer)?.InitialCellStateGradient.Span.ToArray();
        string what = $"{kind} bi={bidirectional} seq={returnSequences} len={withLengths} h0={withInitialState}";
        GradientCheck.Assert(what + " x", Cost, x.Span, dx, h: 1e-2, rtol: 3e-2, atol: 1e-3);
        GradientCheck.Assert(what + " W", Cost, layer.Weights.Value.Span, dW, h: 1e-2, rtol: 3e-2, atol: 1e-3);
        GradientCheck.Assert(what + " R", Cost, layer.Recurrence.Value.Span, dR, h: 1e-2, rtol: 3e-2, atol: 1e-3);
        // A bias moves every step of every row, so the second-order error of a wide difference is larger: a smaller h.
        GradientCheck.Assert(what + " B", Cost, layer.Bias.Value.Span, dB, h: 2e-3, rtol: 3e-2, atol: 1e-3);
        if (withInitialState)
        {
            GradientCheck.Assert(what + " h0", Cost, layer.InitialState!.Span, dh0, h: 1e-2, rtol: 3e-2, atol: 1e-3);
            if (layer is LstmLayer l) GradientCheck.Assert(what + " c0", Cost, l.InitialCellState!.Span, dc0!, h: 1e-2, rtol: 3e-2, atol: 1e-3);
        }
    }

    [Fact]
    public void VectorPathWithATailMatchesFiniteDifferences()
    {
        // H = 19: one 16-lane vector and a 3-element scalar tail in every gate kernel.
        foreach (var kind in new[] { LayerKinds.SimpleRnn, LayerKinds.Lstm, LayerKinds.Gru })
        {
            var rng = new Rng(5);
            var layer = Build(kind, 6, 2, 19, bidirectional: true, returnSequences: true, 4);
            layer.SetLengths([6, 4]);
            var x = GradientCheck.Normal(rng, 1f, 2, 6, 2);
            var r = GradientCheck.Normal(rng, 1f, layer.Forward(x, true).ShapeArray);
            double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
            Cost();
            var dx = layer.Backward(r).Span.ToArray();
            var dR = layer.Recurrence.Gradient.Span.ToArray();
            GradientCheck.Assert(kind + " x (H 19)", Cost, x.Span, dx, h: 1e-2, rtol: 3e-2, atol: 1e-3);
            GradientCheck.Assert(kind + " R (H 19)", Cost, layer.Recurrence.Value.Span, dR, h: 1e-2, rtol: 3e-2, atol: 1e-3);
        }
    }

    [Fact]
    public void TimeDistributedDenseGradientsMatchFiniteDifferences()
    {
        var rng = new Rng(8);
        var layer = (TimeDistributedDenseLayer)LayerFactory.Build(new LayerSpec { Kind = LayerKinds.TimeDistributedDense }
            .With("units", 5).With("biasInit", "Uniform"), [7, 3], new Rng(1));
        var x = GradientCheck.Normal(rng, 1f, 2, 7, 3);
        var r = GradientCheck.Normal(rng, 1f, 2, 7, 5);
        double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
        Cost();
        var dx = layer.Backward(r).Span.ToArray();
        var dW = layer.Weights.Gradient.Span.ToArray();
        var db = layer.Bias.Gradient.Span.ToArray();
        Assert.Equal(new[] { 2, 7, 5 }, layer.Forward(x, true).ShapeArray);
        GradientCheck.Assert("tdense x", Cost, x.Span, dx, rtol: 1e-3, atol: 1e-3);
        GradientCheck.Assert("tdense W", Cost, layer.Weights.Value.Span, dW, rtol: 1e-3, atol: 1e-3);
        GradientCheck.Assert("tdense b", Cost, layer.Bias.Value.Span, db, rtol: 1e-3, atol: 1e-3);
    }

    [Fact]
    public void EmbeddingGradientMatchesFiniteDifferencesAndSkipsThePaddingRow()
    {
        var rng = new Rng(2);
        var layer = (EmbeddingLayer)LayerFactory.Build(new LayerSpec { Kind = LayerKinds.Embedding }
            .With("vocab", 6).With("dim", 3).With("paddingIndex", 0), [5], new Rng(1));
        Assert.All(layer.Weights.Value.Row(0).ToArray(), v => Assert.Equal(0f, v));
        var ids = new Tensor([0, 1, 2, 2, 5, 3, 0, 4, 1, 1], 2, 5);
        var r = GradientCheck.Normal(rng, 1f, 2, 5, 3);
        double Cost() => GradientCheck.Project(layer.Forward(ids, true).Span, r.Span);
        Cost();
        var dids = layer.Backward(r);
        Assert.All(dids.Span.ToArray(), v => Assert.Equal(0f, v));
        var dW = layer.Weights.Gradient.Span.ToArray();
        Assert.All(dW[..3], v => Assert.Equal(0f, v));
        // The padding row's numeric derivative is not zero (it is used), but it must not learn: check the others only.
        GradientCheck.Assert("embedding W", Cost, layer.Weights.Value.Span[3..], dW[3..], rtol: 1e-3, atol: 1e-3);
        Assert.Equal(new[] { 2, 5, 3 }, layer.Forward(ids, true).ShapeArray);
    }
}

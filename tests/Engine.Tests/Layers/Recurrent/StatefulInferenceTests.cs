using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Networks;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Recurrent;

/// <summary>The step-by-step inference path (ForwardStateful) against one Forward over the whole sequence.</summary>
public class StatefulInferenceTests
{
    private static Tensor Steps(Tensor x, int from, int count)
    {
        int batch = x.Dim(0), steps = x.Dim(1), features = x.Dim(2);
        var piece = new Tensor(batch, count, features);
        for (int b = 0; b < batch; b++)
            x.Span.Slice((b * steps + from) * features, count * features).CopyTo(piece.Span.Slice(b * count * features, count * features));
        return piece;
    }

    [Theory]
    [InlineData(LayerKinds.SimpleRnn)]
    [InlineData(LayerKinds.Lstm)]
    [InlineData(LayerKinds.Gru)]
    public void FeedingASequenceInPiecesGivesTheOutputsOfOneForward(string kind)
    {
        const int batch = 2, steps = 7, inputs = 3, units = 5;
        var layer = RecurrentGradientTests.Build(kind, steps, inputs, units, bidirectional: false, returnSequences: true, seed: 11);
        var x = GradientCheck.Normal(new Rng(12), 1f, batch, steps, inputs);
        var full = layer.Forward(x, training: false).Span.ToArray();
        var finalState = layer.FinalState.Span.ToArray();
        // The last state is the last step's output.
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < units; j++) Assert.Equal(full[(b * steps + steps - 1) * units + j], finalState[b * units + j]);

        var pieces = new float[full.Length];
        int t = 0;
        foreach (int n in new[] { 3, 1, 1, 2 })
        {
            var y = layer.ForwardStateful(Steps(x, t, n)).Span;
            for (int b = 0; b < batch; b++)
                y.Slice(b * n * units, n * units).CopyTo(pieces.AsSpan((b * steps + t) * units, n * units));
            t += n;
        }
        for (int i = 0; i < full.Length; i++) Assert.Equal(full[i], pieces[i], 1e-5f);

        // After a reset the next call starts from zeros again: its first step is the full run's first step.
        layer.ResetState();
        var first = layer.ForwardStateful(Steps(x, 0, 1)).Span.ToArray();
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < units; j++) Assert.Equal(full[b * steps * units + j], first[b * units + j], 1e-5f);
        // Without a reset, feeding the first step again continues from the carried state instead.
        var again = layer.ForwardStateful(Steps(x, 0, 1)).Span.ToArray();
        Assert.NotEqual(first, again);
    }

    [Fact]
    public void TheCarriedStateLeavesInitialStateAloneAndTheLstmCellIsCarried()
    {
        const int batch = 1, steps = 4, inputs = 2, units = 3;
        var layer = (LstmLayer)RecurrentGradientTests.Build(LayerKinds.Lstm, steps, inputs, units, false, true, 5);
        var x = GradientCheck.Normal(new Rng(6), 1f, batch, steps, inputs);
        layer.Forward(x, false);
        var cell = layer.FinalCellState.Span.ToArray();
        Assert.Contains(cell, v => v != 0);
        layer.ForwardStateful(Steps(x, 0, 2));
        layer.ForwardStateful(Steps(x, 2, 2));
        for (int j = 0; j < units; j++) Assert.Equal(cell[j], layer.FinalCellState.Span[j], 1e-5f);
        Assert.Null(layer.InitialState);
        Assert.Null(layer.InitialCellState);
    }

    [Fact]
    public void ABidirectionalLayerRefusesStatefulSteps()
    {
        var layer = RecurrentGradientTests.Build(LayerKinds.Gru, 4, 2, 3, bidirectional: true, returnSequences: true, seed: 1);
        var e = Assert.Throws<InvalidOperationException>(() => layer.ForwardStateful(new Tensor(1, 1, 2)));
        Assert.Contains("bidirectional", e.Message);
    }

    [Theory]
    [InlineData(LayerKinds.Lstm)]
    [InlineData(LayerKinds.Gru)]
    public void ANetworkFedOneTokenAtATimeGivesTheLogitsOfTheWholeSequence(string kind)
    {
        // Embedding → 2 stacked recurrent layers → TimeDistributedDense, the character language model's shape.
        const int steps = 6, vocab = 5;
        var specs = new List<LayerSpec>
        {
            new LayerSpec { Kind = LayerKinds.Embedding }.With("vocab", vocab).With("dim", 4),
            new LayerSpec { Kind = kind }.With("units", 8).With("returnSequences", true),
            new LayerSpec { Kind = kind }.With("units", 8).With("returnSequences", true),
            new LayerSpec { Kind = LayerKinds.TimeDistributedDense }.With("units", vocab),
        };
        var net = new Sequential(specs, [steps], Activation.Softmax, new Rng(9));
        var ids = new Tensor([1f, 4f, 0f, 2f, 2f, 3f], 1, steps);
        var full = net.Forward(ids, training: false).Span.ToArray();
        for (int t = 0; t < steps; t++)
        {
            var logits = net.ForwardStateful(new Tensor([ids.Span[t]], 1, 1)).Span;
            for (int k = 0; k < vocab; k++) Assert.Equal(full[t * vocab + k], logits[k], 1e-5f);
        }
        net.ResetState();
        var restart = net.ForwardStateful(new Tensor([ids.Span[0]], 1, 1)).Span;
        for (int k = 0; k < vocab; k++) Assert.Equal(full[k], restart[k], 1e-5f);
    }
}

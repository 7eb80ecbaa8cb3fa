using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Networks;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Recurrent;

/// <summary>
/// An Embedding feeding a recurrent layer in a network: the input projection is a per-token table and the
/// gradients of W and of the embedding come from per-token sums. It must give what the two layers give chained
/// one after the other (the direct all-rows product and ∂C/∂x through the Embedding).
/// </summary>
public class TokenTableTests
{
    private const int Vocab = 5, Dim = 3, Units = 4, Classes = 3;

    private static List<LayerSpec> Specs(string kind, bool bidirectional, int bptt, int padding) =>
    [
        new LayerSpec { Kind = LayerKinds.Embedding, Name = "emb" }.With("vocab", Vocab).With("dim", Dim).With("paddingIndex", padding),
        new LayerSpec { Kind = kind, Name = "rec" }.With("units", Units).With("returnSequences", true)
            .With("bidirectional", bidirectional).With("bpttSteps", bptt).With("biasInit", "Uniform"),
        new LayerSpec { Kind = LayerKinds.TimeDistributedDense, Name = "out" }.With("units", Classes),
    ];

    private static Tensor Ids(Rng rng, int batch, int steps, int padding)
    {
        var ids = new Tensor(batch, steps);
        for (int i = 0; i < ids.Length; i++) ids.Span[i] = rng.NextInt(Vocab);
        if (padding >= 0) ids.Span[1] = padding;
        return ids;
    }

    [Theory]
    // kind, bidirectional, lengths, bpttSteps, paddingIndex
    [InlineData(LayerKinds.Lstm, false, false, 0, -1)]
    [InlineData(LayerKinds.Lstm, true, true, 0, 2)]
    [InlineData(LayerKinds.Lstm, false, true, 4, 0)]
    [InlineData(LayerKinds.Gru, true, true, 0, -1)]
    [InlineData(LayerKinds.Gru, false, false, 5, 4)]
    [InlineData(LayerKinds.SimpleRnn, true, true, 0, 1)]
    public void ATableFedRecurrentLayerGivesTheOutputsAndGradientsOfTheLayersChained(string kind, bool bidirectional,
        bool withLengths, int bptt, int padding)
    {
        const int batch = 4, steps = 12;
        var rng = new Rng(21);
        var net = new Sequential(Specs(kind, bidirectional, bptt, padding), [steps], Activation.Identity, new Rng(7));
        var rec = (RecurrentLayer)net.Layers[1];
        var ids = Ids(rng, batch, steps, padding);
        int[] lengths = withLengths ? [12, 7, 1, 0] : [];
        net.SetSequenceLengths(lengths);
        var logits = net.Forward(ids, training: true).Span.ToArray();
        Assert.True(rec.UsedTokenTable, "48 tokens for a vocabulary of 5 take the table");
        var dy = GradientCheck.Normal(rng, 1f, batch, steps * Classes);
        net.Backward(dy);

        var layers = Chained.Layers(net, Specs(kind, bidirectional, bptt, padding), [steps]);
        ((RecurrentLayer)layers[1]).SetLengths(lengths);
        var expected = Chained.Forward(layers, ids).Span.ToArray();
        Assert.False(((RecurrentLayer)layers[1]).UsedTokenTable);
        Chained.Backward(layers, new Tensor(dy.Span.ToArray(), batch, steps, Classes));
        for (int i = 0; i < logits.Length; i++) Assert.Equal(expected[i], logits[i], 1e-5f);
        Chained.AssertSameGradients(net, layers, 1e-5f, 1e-4f, kind);
        if (padding >= 0) Assert.All(net.Layers[0].Parameters[0].Gradient.Row(padding).ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(LayerKinds.Lstm, true)]
    [InlineData(LayerKinds.Gru, false)]
    public void TheEmbeddingAndInputWeightGradientsThroughTheTableMatchFiniteDifferences(string kind, bool bidirectional)
    {
        const int batch = 3, steps = 20;
        var rng = new Rng(5);
        var net = new Sequential(Specs(kind, bidirectional, 0, -1), [steps], Activation.Identity, new Rng(3));
        net.SetSequenceLengths([20, 14, 3]);
        var ids = Ids(rng, batch, steps, -1);
        var r = GradientCheck.Normal(rng, 1f, batch, steps * Classes);
        double Cost() => GradientCheck.Project(net.Forward(ids, training: true).Span, r.Span);
        Cost();
        Assert.True(((RecurrentLayer)net.Layers[1]).UsedTokenTable);
        net.Backward(r);
        var embedding = net.Layers[0].Parameters[0];
        var w = net.Layers[1].Parameters[0];
        var dE = embedding.Gradient.Span.ToArray();
        var dW = w.Gradient.Span.ToArray();
        GradientCheck.Assert($"{kind} embedding", Cost, embedding.Value.Span, dE, h: 1e-2, rtol: 3e-2, atol: 1e-3);
        GradientCheck.Assert($"{kind} W", Cost, w.Value.Span, dW, h: 1e-2, rtol: 3e-2, atol: 1e-3);
    }

    [Fact]
    public void FewTokensForTheVocabularyTakeTheDirectProductAndGiveTheSameLogits()
    {
        // One row of 6 steps (fewer than twice the vocabulary): the table would cost more than it saves.
        const int steps = 6;
        var net = new Sequential(Specs(LayerKinds.Lstm, false, 0, -1), [steps], Activation.Identity, new Rng(4));
        var rec = (RecurrentLayer)net.Layers[1];
        var ids = Ids(new Rng(8), 2, steps, -1);
        var both = net.Forward(ids, training: false).Span.ToArray();
        Assert.True(rec.UsedTokenTable);
        var first = net.Forward(new Tensor(ids.Span[..steps].ToArray(), 1, steps), training: false).Span.ToArray();
        Assert.False(rec.UsedTokenTable);
        for (int i = 0; i < first.Length; i++) Assert.Equal(both[i], first[i], 1e-5f);
        // Token by token (the generator's way) from the same start gives the table's logits too.
        for (int t = 0; t < steps; t++)
        {
            var step = net.ForwardStateful(new Tensor([ids.Span[t]], 1, 1)).Span;
            Assert.False(rec.UsedTokenTable);
            for (int k = 0; k < Classes; k++) Assert.Equal(both[t * Classes + k], step[k], 1e-5f);
        }
    }
}

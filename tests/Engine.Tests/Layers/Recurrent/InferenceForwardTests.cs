using DlBook.Engine.Activations;
using DlBook.Engine.Diagnostics;
using DlBook.Engine.Layers;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Recurrent;

/// <summary>
/// An inference Forward writes only the states (LSTM and GRU skip the gates that only Backward reads), and a step
/// from a zero state skips its product. Neither may change a bit, and a Backward after an inference Forward must
/// give the gradients of a training one.
/// </summary>
public class InferenceForwardTests
{
    private static (RecurrentLayer Layer, Tensor X) Setup(string kind, bool bidirectional, bool returnSequences, int inputs,
        bool withLengths, bool initialState)
    {
        const int batch = 5, steps = 11, units = 20;
        var layer = RecurrentGradientTests.Build(kind, steps, inputs, units, bidirectional, returnSequences, 31);
        var rng = new Rng(32);
        var x = GradientCheck.Normal(rng, 1f, batch, steps, inputs);
        if (withLengths) layer.SetLengths([11, 6, 1, 0, 9]);
        int dirs = layer.Directions;
        if (initialState)
        {
            layer.InitialState = GradientCheck.Normal(rng, 0.5f, dirs, batch, units);
            if (layer is LstmLayer lstm) lstm.InitialCellState = GradientCheck.Normal(rng, 0.5f, dirs, batch, units);
        }
        return (layer, x);
    }

    private static float[] States(RecurrentLayer layer) =>
        [.. layer.FinalState.Span, .. layer is LstmLayer l ? l.FinalCellState.Span : []];

    [Theory]
    // kind, bidirectional, returnSequences, inputs (2: each row projected in the time loop), lengths, initial state
    [InlineData(LayerKinds.Lstm, false, true, 17, false, false)]
    [InlineData(LayerKinds.Lstm, true, true, 2, true, true)]
    [InlineData(LayerKinds.Lstm, true, false, 17, true, false)]
    [InlineData(LayerKinds.Gru, false, true, 2, false, true)]
    [InlineData(LayerKinds.Gru, true, false, 17, true, true)]
    [InlineData(LayerKinds.SimpleRnn, true, true, 17, true, false)]
    public void AnInferenceForwardGivesTheBitsOfATrainingForward(string kind, bool bidirectional, bool returnSequences,
        int inputs, bool withLengths, bool initialState)
    {
        var (layer, x) = Setup(kind, bidirectional, returnSequences, inputs, withLengths, initialState);
        var trained = layer.Forward(x, training: true).Span.ToArray();
        var trainedStates = States(layer);
        var inferred = layer.Forward(x, training: false).Span.ToArray();
        Assert.Equal(trained, inferred);
        Assert.Equal(trainedStates, States(layer));
    }

    [Theory]
    [InlineData(LayerKinds.Lstm, true, true, 17, true, true)]
    [InlineData(LayerKinds.Lstm, false, false, 2, false, false)]
    [InlineData(LayerKinds.Gru, true, true, 2, true, true)]
    [InlineData(LayerKinds.Gru, false, false, 17, false, false)]
    public void BackwardAfterAnInferenceForwardGivesTheGradientsOfATrainingForward(string kind, bool bidirectional,
        bool returnSequences, int inputs, bool withLengths, bool initialState)
    {
        var (layer, x) = Setup(kind, bidirectional, returnSequences, inputs, withLengths, initialState);
        var dy = GradientCheck.Normal(new Rng(33), 1f, layer.Forward(x, training: true).ShapeArray);
        float[] Gradients() =>
        [
            .. layer.Backward(dy).Span, .. layer.Weights.Gradient.Span, .. layer.Recurrence.Gradient.Span,
            .. layer.Bias.Gradient.Span, .. layer.InitialStateGradient.Span, .. layer.HiddenGradientNorms.Select(v => (float)v),
        ];
        var expected = Gradients();

        var savedState = layer.InitialState;
        layer.Forward(x, training: false);
        // Backward runs that Forward again from the state it started from, even if the caller has moved on.
        if (initialState) layer.InitialState = GradientCheck.Normal(new Rng(34), 0.5f, savedState!.ShapeArray);
        Assert.Equal(expected, Gradients());
    }

    [Theory]
    [InlineData(LayerKinds.Lstm)]
    [InlineData(LayerKinds.Gru)]
    [InlineData(LayerKinds.SimpleRnn)]
    public void StartingFromZerosGivesTheBitsOfAZeroInitialState(string kind)
    {
        // No initial state: the first step's product R·h₀ is skipped. A zero tensor set as the state takes it.
        var (layer, x) = Setup(kind, bidirectional: true, returnSequences: true, inputs: 17, withLengths: true, initialState: false);
        var dy = GradientCheck.Normal(new Rng(35), 1f, layer.Forward(x, training: true).ShapeArray);
        float[] Run(bool training)
        {
            float[] y = [.. layer.Forward(x, training).Span, .. States(layer)];
            return [.. y, .. layer.Backward(dy).Span, .. layer.Recurrence.Gradient.Span, .. layer.InitialStateGradient.Span];
        }
        var fromNothing = Run(true);
        var fromNothingInferred = Run(false);
        layer.InitialState = new Tensor(layer.Directions, 5, layer.Units);
        if (layer is LstmLayer lstm) lstm.InitialCellState = new Tensor(layer.Directions, 5, layer.Units);
        Assert.Equal(fromNothing, Run(true));
        Assert.Equal(fromNothing, fromNothingInferred);
    }

    [Fact]
    public void TheLearningSpeedProbeOfATokenModelGivesTheGradientsOfATrainingPass()
    {
        // Measure runs an inference Forward (the Embedding feeds the LSTM through its token table) then Backward.
        const int vocab = 7, steps = 10, batch = 4, classes = 3;
        List<LayerSpec> specs =
        [
            new LayerSpec { Kind = LayerKinds.Embedding, Name = "emb" }.With("vocab", vocab).With("dim", 5),
            new LayerSpec { Kind = LayerKinds.Lstm, Name = "rec" }.With("units", 18),
            new LayerSpec { Kind = LayerKinds.Dense, Name = "out" }.With("units", classes),
        ];
        var net = new Sequential(specs, [steps], Activation.Identity, new Rng(8));
        var rng = new Rng(9);
        var ids = new Tensor(batch, steps);
        for (int i = 0; i < ids.Length; i++) ids.Span[i] = rng.NextInt(vocab);
        var targets = new Tensor(batch, classes);
        for (int i = 0; i < batch; i++) targets.Span[i * classes + rng.NextInt(classes)] = 1f;
        var loss = new SoftmaxCrossEntropyLoss();
        var speeds = LearningSpeed.Measure(net, loss, ids, targets);
        Assert.True(((RecurrentLayer)net.Layers[1]).UsedTokenTable);
        float[] probe = [.. net.Parameters.SelectMany(p => p.Gradient.Span.ToArray())];

        var d = new Tensor(batch, classes);
        loss.Compute(net.Forward(ids, training: true), targets, d);
        net.Backward(d);
        Assert.Equal([.. net.Parameters.SelectMany(p => p.Gradient.Span.ToArray())], probe);
        Assert.All(speeds, s => Assert.True(s.WeightGradientNorm > 0));
    }
}

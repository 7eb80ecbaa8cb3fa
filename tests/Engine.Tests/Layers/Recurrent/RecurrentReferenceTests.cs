using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Recurrent;

public class RecurrentReferenceTests
{
    [Theory]
    // kind, relu, batch, T, H, bidirectional, returnSequences, lengths ("" = full), initial state, bpttSteps
    [InlineData(LayerKinds.SimpleRnn, false, 1, 1, 7, false, true, "", false, 0)]
    [InlineData(LayerKinds.SimpleRnn, true, 5, 23, 19, true, true, "23,0,5,1,17", true, 0)]
    [InlineData(LayerKinds.Lstm, false, 1, 23, 7, true, false, "", true, 0)]
    [InlineData(LayerKinds.Lstm, false, 5, 23, 19, true, true, "23,0,5,1,17", true, 0)]
    [InlineData(LayerKinds.Lstm, false, 5, 1, 7, false, false, "1,0,1,1,0", false, 0)]
    [InlineData(LayerKinds.Lstm, false, 5, 23, 7, true, true, "23,0,5,1,17", false, 6)]
    [InlineData(LayerKinds.Gru, false, 1, 23, 19, false, true, "", true, 0)]
    [InlineData(LayerKinds.Gru, false, 5, 23, 7, true, false, "23,0,5,1,17", true, 0)]
    [InlineData(LayerKinds.Gru, false, 5, 23, 19, true, true, "20,3,23,0,9", false, 4)]
    // Wide enough that each step's product takes the packed GEMM with R packed once per time loop (forward and backward).
    [InlineData(LayerKinds.Lstm, false, 28, 4, 200, true, true, "", true, 0)]
    [InlineData(LayerKinds.Gru, false, 28, 3, 260, false, false, "", false, 0)]
    // 16 inputs or more: the input projections of all steps are one product (fewer are projected row by row in the loop).
    [InlineData(LayerKinds.Lstm, false, 5, 23, 19, true, true, "23,0,5,1,17", true, 0, 16)]
    [InlineData(LayerKinds.Gru, false, 5, 23, 7, true, false, "20,3,23,0,9", false, 4, 21)]
    [InlineData(LayerKinds.SimpleRnn, false, 3, 9, 17, false, true, "", true, 0, 40)]
    public void FastLayerMatchesTheScalarReference(string kind, bool relu, int batch, int steps, int units, bool bidirectional,
        bool returnSequences, string lengthText, bool initialState, int bptt, int inputs = 3)
    {
        var spec = new LayerSpec { Kind = kind, Name = "rec" }.With("units", units).With("bidirectional", bidirectional)
            .With("returnSequences", returnSequences).With("bpttSteps", bptt).With("biasInit", "Uniform");
        if (relu) spec.With("activation", "Relu");
        var layer = (RecurrentLayer)LayerFactory.Build(spec, [steps, inputs], new Rng(21));
        var rng = new Rng(22);
        int dirs = layer.Directions;
        int[] lengths = lengthText.Length == 0 ? Enumerable.Repeat(steps, batch).ToArray() : lengthText.Split(',').Select(int.Parse).ToArray();
        if (lengthText.Length > 0) layer.SetLengths(lengths);
        var x = GradientCheck.Normal(rng, 1f, batch, steps, inputs);
        float[]? h0 = null, c0 = null;
        if (initialState)
        {
            layer.InitialState = GradientCheck.Normal(rng, 0.5f, dirs, batch, units);
            h0 = layer.InitialState.Span.ToArray();
            if (layer is LstmLayer lstm)
            {
                lstm.InitialCellState = GradientCheck.Normal(rng, 0.5f, dirs, batch, units);
                c0 = lstm.InitialCellState.Span.ToArray();
            }
        }
        var cell = layer.Cell;
        float[] w = layer.Weights.Value.Span.ToArray(), r = layer.Recurrence.Value.Span.ToArray(), b = layer.Bias.Value.Span.ToArray();
        var (yRef, lastRef) = RecurrentReference.Forward(cell, relu, batch, steps, inputs, units, dirs, x.Span.ToArray(), w, r, b, lengths, h0, c0);
        var y = layer.Forward(x, true).Span.ToArray();
        Close("y", returnSequences ? yRef : lastRef, y);

        var dy = GradientCheck.Normal(rng, 1f, layer.Forward(x, true).ShapeArray);
        var dYRef = returnSequences ? dy.Span.ToArray() : new float[yRef.Length];
        var dLastRef = returnSequences ? new float[lastRef.Length] : dy.Span.ToArray();
        var g = RecurrentReference.Backward(cell, relu, batch, steps, inputs, units, dirs, x.Span.ToArray(), w, r, b, lengths, h0, c0,
            dYRef, dLastRef, bptt);
        var dx = layer.Backward(dy).Span.ToArray();
        Close("dx", g.Dx, dx);
        Close("dW", g.DW, layer.Weights.Gradient.Span.ToArray());
        Close("dR", g.DR, layer.Recurrence.Gradient.Span.ToArray());
        Close("dB", g.DB, layer.Bias.Gradient.Span.ToArray());
        Close("dh0", g.DH0, layer.InitialStateGradient.Span.ToArray());
    }

    private static void Close(string what, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 2e-5 + 1e-4 * Math.Abs(expected[i]),
                $"{what}[{i}]: reference {expected[i]}, fast {actual[i]}");
    }
}

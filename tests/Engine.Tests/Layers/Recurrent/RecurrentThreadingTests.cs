using DlBook.Engine.Kernels;
using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Recurrent;

/// <summary>
/// The time loops split the batch's rows over the engine's threads (a row's state depends only on its own past): the
/// output, every gradient and the per-step gradient norms are the same bits with 1, 2 and 3 threads, for each cell,
/// bidirectional, with variable lengths and truncated BPTT.
/// </summary>
public class RecurrentThreadingTests
{
    [Theory]
    [InlineData(LayerKinds.SimpleRnn, false, 0)]
    [InlineData(LayerKinds.Lstm, false, 0)]
    [InlineData(LayerKinds.Gru, false, 0)]
    [InlineData(LayerKinds.Lstm, true, 0)]
    [InlineData(LayerKinds.Gru, true, 7)]
    public void Rows_split_over_threads_give_the_bits_of_one_thread(string kind, bool bidirectional, int bptt)
    {
        double[][] Run(int threads)
        {
            int saved = Gemm.ForceThreads;
            Gemm.ForceThreads = threads;
            try
            {
                const int batch = 33, steps = 25, inputs = 3, units = 48;
                var spec = new LayerSpec { Kind = kind }.With("units", units).With("returnSequences", true)
                    .With("bidirectional", bidirectional).With("bpttSteps", bptt);
                var layer = (RecurrentLayer)LayerFactory.Build(spec, [steps, inputs], new Rng(3));
                var lengths = Enumerable.Range(0, batch).Select(b => b % 5 == 0 ? steps : 1 + b % steps).ToArray();
                ((ISequenceLengthAware)layer).SetLengths(lengths);
                var x = GradientCheck.Normal(new Rng(4), 1f, batch, steps, inputs);
                var y = layer.Forward(x, true).Span.ToArray();
                var dy = GradientCheck.Normal(new Rng(5), 1f, batch, steps, (bidirectional ? 2 : 1) * units);
                var dx = layer.Backward(dy).Span.ToArray();
                return [.. new[] { y, dx, layer.Weights.Gradient.Span.ToArray(), layer.Recurrence.Gradient.Span.ToArray(),
                    layer.Bias.Gradient.Span.ToArray(), layer.InitialStateGradient.Span.ToArray() }.Select(a => a.Select(v => (double)v).ToArray()),
                    layer.HiddenGradientNorms.ToArray()];
            }
            finally
            {
                Gemm.ForceThreads = saved;
            }
        }
        var one = Run(1);
        foreach (int threads in new[] { 2, 3 })
        {
            var many = Run(threads);
            for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], many[i]);
        }
        Assert.Contains(one[1], v => v != 0);   // the input gradient is not trivially zero
    }
}

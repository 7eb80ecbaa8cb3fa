using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Bench;

/// <summary>
/// The recurrent workloads of <c>../shared/peers/bench_torch.py</c>, engine only: "rnn LSTM/GRU h128 T100 in2" (the
/// adding problem: [32, 100, 2] sequences, one layer of 128 units, Dense(128→1) on the last state, squared error,
/// Adam 1e-3; inference at batch 32 and 256) and "char-lstm V65 E64 H256 T100" (Embedding(65, 64) → LSTM(256, every
/// step) → TimeDistributedDense(65), softmax cross-entropy averaged over the 3,200 positions, Adam 2e-3, batch 32).
/// A train step is forward + loss + backward + optimiser step on one pre-made batch, as the peer times it.
/// </summary>
public sealed class RecurrentWorkload : IWorkload
{
    private const int Steps = 100;

    /// <inheritdoc />
    public string Name => "rnn";

    /// <inheritdoc />
    public void Run(BenchOptions options, BenchReport report)
    {
        DlBook.Engine.Kernels.Gemm.MaxThreads = options.Threads;
        foreach (var kind in new[] { LayerKinds.Lstm, LayerKinds.Gru }) Adding(kind, options, report);
        CharLstm(options, report);
    }

    private static void Adding(string kind, BenchOptions options, BenchReport report)
    {
        string name = $"rnn {kind.ToUpperInvariant()} h128 T100 in2";
        var specs = new List<LayerSpec>
        {
            new LayerSpec { Kind = kind }.With("units", 128),
            new LayerSpec { Kind = LayerKinds.Dense }.With("units", 1),
        };
        var net = new Sequential(specs, [Steps, 2], Activation.Identity, new Rng(2));
        var loss = new QuadraticLoss(Activation.Identity);
        var adam = OptimizerFactory.Create("Adam");
        var (x, y) = AddingBatch(32, new Rng(5));
        var dz = new Tensor(32, 1);
        void TrainStep()
        {
            loss.Compute(net.Forward(x, training: true), y, dz);
            net.Backward(dz);
            adam.Step(net.Parameters, 1e-3f);
        }
        report.Add($"{name}: train, batch 32", "seq/s", 32, Timing.SecondsPerCall(TrainStep, options));
        foreach (int batch in new[] { 32, 256 })
        {
            var (xi, _) = AddingBatch(batch, new Rng(6));
            report.Add($"{name}: infer, batch {batch}", "seq/s", batch, Timing.SecondsPerCall(() => net.Forward(xi, training: false), options));
        }
    }

    private static void CharLstm(BenchOptions options, BenchReport report)
    {
        const string name = "char-lstm V65 E64 H256 T100";
        const int batch = 32, vocab = 65;
        var specs = new List<LayerSpec>
        {
            new LayerSpec { Kind = LayerKinds.Embedding }.With("vocab", vocab).With("dim", 64),
            new LayerSpec { Kind = LayerKinds.Lstm }.With("units", 256).With("returnSequences", true),
            new LayerSpec { Kind = LayerKinds.TimeDistributedDense }.With("units", vocab),
        };
        var net = new Sequential(specs, [Steps], Activation.Identity, new Rng(3));
        var rng = new Rng(7);
        var ids = new Tensor(batch, Steps);
        for (int i = 0; i < ids.Length; i++) ids.Span[i] = rng.NextInt(vocab);
        var targets = new Tensor(batch * Steps, vocab);
        for (int i = 0; i < batch * Steps; i++) targets.Span[i * vocab + rng.NextInt(vocab)] = 1f;
        var loss = new SoftmaxCrossEntropyLoss();
        var adam = OptimizerFactory.Create("Adam");
        var dz = new Tensor(batch * Steps, vocab);
        var dzSeq = new Tensor(dz.Data, batch, Steps, vocab);
        void TrainStep()
        {
            var logits = net.Forward(ids, training: true);
            // The loss is per position: view [batch, T, vocab] as [batch·T, vocab] (no copy).
            loss.Compute(new Tensor(logits.Data, batch * Steps, vocab), targets, dz);
            net.Backward(dzSeq);
            adam.Step(net.Parameters, 2e-3f);
        }
        report.Add($"{name}: train, batch 32", "seq/s", batch, Timing.SecondsPerCall(TrainStep, options));
        report.Add($"{name}: infer, batch 32", "seq/s", batch, Timing.SecondsPerCall(() => net.Forward(ids, training: false), options));
    }

    // bench_torch.adding_batch: values U(0, 1) and two marked steps per row; the target is the sum of the marked values.
    private static (Tensor X, Tensor Y) AddingBatch(int n, Rng rng)
    {
        var x = new Tensor(n, Steps, 2);
        var y = new Tensor(n, 1);
        for (int b = 0; b < n; b++)
        {
            for (int t = 0; t < Steps; t++) x.Span[(b * Steps + t) * 2] = rng.NextFloat();
            int first = rng.NextInt(Steps), second;
            do second = rng.NextInt(Steps); while (second == first);
            foreach (int t in new[] { first, second })
            {
                x.Span[(b * Steps + t) * 2 + 1] = 1f;
                y.Span[b] += x.Span[(b * Steps + t) * 2];
            }
        }
        return (x, y);
    }
}

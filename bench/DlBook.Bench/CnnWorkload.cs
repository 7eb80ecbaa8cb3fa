using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Bench;

/// <summary>
/// The CNN workloads of <c>../shared/peers/bench_torch.py</c> (models.cnn), engine only: "book-cnn 64x64 32-32" (the
/// book's Keras net: [Conv 3×3 + ReLU + MaxPool 2] × 2, Flatten, Dense 128 ReLU, Dense 1) and "book-cnn 150x150
/// 32-64-128" (three blocks), logistic loss, Adam 1e-3, batch 32; inference at batch 32 and 256. A train step is
/// forward + loss + backward + optimiser step on one pre-made batch of random pixels, as the peer times it.
/// </summary>
public sealed class CnnWorkload : IWorkload
{
    /// <inheritdoc />
    public string Name => "cnn";

    /// <inheritdoc />
    public void Run(BenchOptions options, BenchReport report)
    {
        DlBook.Engine.Kernels.Gemm.MaxThreads = options.Threads;
        Cnn(64, [32, 32], options, report);
        Cnn(150, [32, 64, 128], options, report);
    }

    private static void Cnn(int size, int[] filters, BenchOptions options, BenchReport report)
    {
        string name = $"book-cnn {size}x{size} {string.Join("-", filters)}";
        var specs = new List<LayerSpec>();
        foreach (var f in filters)
        {
            specs.Add(new LayerSpec { Kind = LayerKinds.Conv2d }.With("filters", f).With("kernel", 3));
            specs.Add(new LayerSpec { Kind = LayerKinds.Activation }.With("activation", "Relu"));
            specs.Add(new LayerSpec { Kind = LayerKinds.MaxPool2d }.With("pool", 2));
        }
        specs.Add(new LayerSpec { Kind = LayerKinds.Flatten });
        specs.Add(new LayerSpec { Kind = LayerKinds.Dense }.With("units", 128));
        specs.Add(new LayerSpec { Kind = LayerKinds.Activation }.With("activation", "Relu"));
        specs.Add(new LayerSpec { Kind = LayerKinds.Dense }.With("units", 1));
        var net = new Sequential(specs, [3, size, size], Activation.Sigmoid, new Rng(1));
        var loss = LossFactory.Create("CrossEntropy");
        var adam = OptimizerFactory.Create("Adam");
        var (x, y) = Batch(32, size, new Rng(2));
        var dz = new Tensor(32, 1);
        void TrainStep()
        {
            loss.Compute(net.Forward(x, training: true), y, dz);
            net.Backward(dz);
            adam.Step(net.Parameters, 1e-3f);
        }
        report.Add($"{name}: train, batch 32", "images/s", 32, Timing.SecondsPerCall(TrainStep, options));
        foreach (int batch in new[] { 32, 256 })
        {
            var (xi, _) = Batch(batch, size, new Rng(3));
            report.Add($"{name}: infer, batch {batch}", "images/s", batch, Timing.SecondsPerCall(() => net.Forward(xi, training: false), options));
        }
    }

    private static (Tensor X, Tensor Y) Batch(int n, int size, Rng rng)
    {
        var x = new Tensor([n, 3, size, size]);
        for (int i = 0; i < x.Length; i++) x.Span[i] = rng.NextFloat();
        var y = new Tensor(n, 1);
        for (int i = 0; i < n; i++) y.Span[i] = rng.NextInt(2);
        return (x, y);
    }
}

using DlBook.Engine.Activations;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Pipelines.Bridge;
using DlBook.Trainers;
using DlBook.Trainers.Mlp;
using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace DlBook.Bench;

/// <summary>
/// The book's MLPs, timed as <c>../shared/peers/bench_torch.py</c> times them ("book-mlp 784-30-10 sigmoid",
/// "book-mlp 784-30x4-10 sigmoid"): one epoch of 50,000 samples with mini-batch 10 (sigmoid, cross-entropy,
/// N(0,1/n_in) weights, SGD η = 0.1 with the book's λ/n L2), and inference at batch 10 and 10,000.
/// Three training rows per network: the bare step loop over pre-made batches (what the PyTorch peer times:
/// forward, loss, backward, L2, SGD step, no shuffle); the trainer's epochs, <c>ml.MulticlassClassification.Trainers.Mlp(...).Fit</c> on the
/// first 50,000 MNIST images as its history clocks them (seeded shuffle, gathering the mini-batches, accuracy
/// counting, callbacks; learning-speed monitor off); and the whole 5-epoch <c>Fit</c> call (adds building the network,
/// checking the schemas and the bridge's one pass over the ML.NET data view).
/// </summary>
public sealed class MlpWorkload : IWorkload
{
    private const int Samples = 50_000;
    private const int Batch = 10;

    /// <inheritdoc />
    public string Name => "mlp";

    /// <inheritdoc />
    public void Run(BenchOptions options, BenchReport report)
    {
        DlBook.Engine.Kernels.Gemm.MaxThreads = options.Threads;
        var ml = new MLContext(seed: 1);
        var mnist = MnistTraining(ml);
        var table = TrainingRows.Open(mnist, new BridgeColumns("Features", null, LabelKind.None)).Table!;
        var pixels = new float[Samples * 784];
        table.GatherFeatures(null, 0, Samples, pixels);
        var rng = new Rng(7);
        var labels = new float[Samples * 10];
        for (int i = 0; i < Samples; i++) labels[i * 10 + (int)(rng.NextUInt64() % 10)] = 1f;

        // An epoch is tens of milliseconds: a few epochs per repeat, after a warm-up long enough for tiered JIT.
        var epochOptions = options with { Repeats = Math.Min(options.Repeats, 5), TargetSeconds = 0.3 };
        foreach (var (tag, hidden) in new[] { ("784-30-10", new[] { 30 }), ("784-30x4-10", new[] { 30, 30, 30, 30 }) })
        {
            var net = new Sequential(NetworkBuilder.Mlp(784, hidden, 10, Activation.Sigmoid, "Normal1OverFanIn", "StandardNormal"),
                [784], Activation.Sigmoid, new Rng(1));
            var loss = new CrossEntropyLoss();
            var sgd = OptimizerFactory.Create("Sgd");
            var xs = new Tensor[Samples / Batch];
            var ys = new Tensor[Samples / Batch];
            for (int b = 0; b < xs.Length; b++)
            {
                xs[b] = new Tensor(pixels[(b * Batch * 784)..((b + 1) * Batch * 784)], Batch, 784);
                ys[b] = new Tensor(labels[(b * Batch * 10)..((b + 1) * Batch * 10)], Batch, 10);
            }
            var dz = new Tensor(Batch, 10);
            void Epoch()
            {
                for (int b = 0; b < xs.Length; b++)
                {
                    loss.Compute(net.Forward(xs[b], training: true), ys[b], dz);
                    net.Backward(dz);
                    L2Regularization.AddToGradients(net.Parameters, 5f / Samples);
                    sgd.Step(net.Parameters, 0.1f);
                }
            }
            // Let tiered JIT settle (call counting starts late and tier-1 compiles in the background): a second of epochs first.
            for (var warm = System.Diagnostics.Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < 1;) Epoch();
            report.Add($"book-mlp {tag} sigmoid: train step loop, batch 10", "samples/s", Samples, Timing.SecondsPerCall(Epoch, epochOptions));

            const int FitEpochs = 5;
            var trainer = ml.MulticlassClassification.Trainers.Mlp(new MlpOptions
            {
                HiddenLayers = hidden, Activation = Activation.Sigmoid, Cost = Cost.CrossEntropy, Initializer = Initializer.Normal1OverFanIn,
                Epochs = FitEpochs, BatchSize = Batch, LearningRate = 0.1f, L2 = 5f, MonitorGradients = false, Seed = 1,
            });
            var epochSeconds = new List<double>();
            var fitOptions = options with { Repeats = Math.Min(options.Repeats, 5), TargetSeconds = 0.01 };
            var fits = Timing.SecondsPerCall(() => epochSeconds.AddRange(trainer.Fit(mnist).History!.Epochs.Select(e => e.Seconds)), fitOptions);
            // The epochs of the timed fits only (the warm-up fits come first in the list).
            report.Add($"book-mlp {tag} sigmoid: MlpTrainer epoch on MNIST via ML.NET (history clock), batch 10", "samples/s", Samples,
                epochSeconds.Skip(epochSeconds.Count - fits.Length * FitEpochs).ToArray());
            report.Add($"book-mlp {tag} sigmoid: MlpTrainer.Fit via ML.NET, 5 epochs incl. data load, batch 10", "samples/s", Samples * FitEpochs, fits);

            foreach (int batch in new[] { 10, 10_000 })
            {
                var x = new Tensor(pixels[..(batch * 784)], batch, 784);
                report.Add($"book-mlp {tag} sigmoid: infer, batch {batch}", "samples/s", batch, Timing.SecondsPerCall(() => net.Predict(x), options));
            }
        }
    }

    /// <summary>The first 50,000 MNIST training images with their labels as keys, as the book trains on.</summary>
    private static IDataView MnistTraining(MLContext ml)
    {
        var location = DlBook.Pipelines.DataSets.DataSetLocator.Locate(DlBook.Pipelines.DataSets.DataSetRegistry.Mnist);
        if (!location.Found)
            throw new FileNotFoundException($"MNIST was not found (searched {string.Join(", ", location.Searched)}); set DLBOOK_DATA or run 'dlbook data fetch mnist'.");
        var all = ml.Data.LoadFromIdx(location.PathOf("train-images-idx3-ubyte.gz"), location.PathOf("train-labels-idx1-ubyte.gz"));
        var train = ml.Data.TakeRows(all, Samples);   // as users read it: an ML.NET view; the bridge keeps the pixels as bytes
        return ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train).Transform(train);
    }
}

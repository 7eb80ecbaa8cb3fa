using DlBook.Engine.Activations;
using DlBook.Engine.Networks;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Export.Scoring;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.DataSets;

namespace DlBook.Bench;

/// <summary>
/// ONNX Runtime CPU scoring of the book's [784,30,10] sigmoid MLP on the 10,000 MNIST test images:
/// samples/s through the binding's Run at batch 1, 32, 256 and 10,000, next to the engine's own
/// <see cref="Sequential.Predict"/> at the same batches; the end-to-end batch scorer (IDX in, predictions
/// CSV out, what <c>dlbook score</c> runs); and the binding's per-Run overhead on a tiny model.
/// </summary>
public sealed class OnnxScoringWorkload : IWorkload
{
    /// <summary>The batch sizes of the issue's table.</summary>
    public static readonly int[] Batches = [1, 32, 256, 10_000];

    /// <inheritdoc />
    public string Name => "onnx";

    /// <inheritdoc />
    public void Run(BenchOptions options, BenchReport report)
    {
        var location = DataSetLocator.Locate(DataSetRegistry.Mnist);
        if (!location.Found)
            throw new FileNotFoundException($"MNIST was not found (searched {string.Join(", ", location.Searched)}); set DLBOOK_DATA or run 'dlbook data fetch mnist'.");
        var view = new DlContext().Data.LoadIdx(location.PathOf("t10k-images-idx3-ubyte.gz"), location.PathOf("t10k-labels-idx1-ubyte.gz"));
        var pixels = view.GetBatches(new BatchOptions { BatchSize = 10_000, Columns = ["Features"] }).Single().Get<FloatColumnData>("Features").Values;

        // The book's network: W ~ N(0, 1/n_in), b ~ N(0, 1), sigmoid everywhere. Weights do not change the speed.
        var net = new Sequential(NetworkBuilder.Mlp(784, [30], 10, Activation.Sigmoid, "Normal1OverFanIn", "StandardNormal"), [784], Activation.Sigmoid, new Rng(1));
        var onnx = OnnxExporter.ToBytes(net, labelNames: Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray());
        using var session = OnnxSession.FromBytes(onnx, new OnnxSessionOptions { IntraOpThreads = options.Threads });
        DlBook.Engine.Kernels.Gemm.MaxThreads = options.Threads;

        foreach (int batch in Batches)
        {
            var x = pixels[..(batch * 784)];
            var input = new[] { OnnxTensor.Float("Features", x, batch, 784) };
            report.Add($"ort Run [784,30,10] batch {batch}", "samples/s", batch, Timing.SecondsPerCall(() => session.Run(input), options));
            var tensor = new Tensor(x, batch, 784);
            report.Add($"engine Predict [784,30,10] batch {batch}", "samples/s", batch, Timing.SecondsPerCall(() => net.Predict(tensor), options));
        }

        var model = Path.Combine(Path.GetTempPath(), $"dlbook-bench-{Guid.NewGuid():N}.onnx");
        var csv = Path.ChangeExtension(model, ".csv");
        File.WriteAllBytes(model, onnx);
        try
        {
            var few = options with { Repeats = Math.Min(options.Repeats, 3), TargetSeconds = Math.Min(options.TargetSeconds, 0.2) };
            foreach (int batch in Batches)
            {
                using var scorer = new OnnxBatchScorer(model, new OnnxBatchScorerOptions { BatchSize = batch, IntraOpNumThreads = options.Threads });
                report.Add($"scorer IDX→CSV 10,000 rows batch {batch}", "samples/s", 10_000, Timing.SecondsPerCall(() => scorer.ScoreToCsv(view, csv), few));
            }
        }
        finally
        {
            File.Delete(model);
            File.Delete(csv);
        }

        using var probe = new OnnxRunOverhead();
        report.Add("ort Run tiny model: binding", "calls/s", 1, Timing.SecondsPerCall(probe.BindingRun, options));
        report.Add("ort Run tiny model: raw C API, all prepared", "calls/s", 1, Timing.SecondsPerCall(probe.RawRun, options));
        report.Add("ort Run tiny model: raw C API, per-call OrtValue + output copy", "calls/s", 1, Timing.SecondsPerCall(probe.RawCompleteRun, options));
    }
}

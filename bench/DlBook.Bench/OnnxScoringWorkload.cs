using DlBook.Engine.Activations;
using DlBook.Engine.Networks;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Export.Scoring;
using DlBook.Pipelines.Bridge;
using DlBook.Pipelines.DataSets;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DlBook.Bench;

/// <summary>
/// ONNX Runtime CPU scoring of the book's [784,30,10] sigmoid MLP on the 10,000 MNIST test images:
/// samples/s through the official binding at batch 1, 32, 256 and 10,000 — our pre-allocated runner and the binding's
/// allocating NamedOnnxValue Run — next to the engine's own <see cref="Sequential.Predict"/>; the end-to-end batch
/// scorer (an ML.NET view of the IDX file in, predictions CSV out, what <c>dlbook score</c> runs) and ML.NET's
/// <c>ApplyOnnxModel</c> over the same 10,000 rows (one Run per row); and the per-Run overhead on a tiny model.
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
        var ml = new MLContext(1);
        var view = ml.Data.LoadFromIdx(location.PathOf("t10k-images-idx3-ubyte.gz"), location.PathOf("t10k-labels-idx1-ubyte.gz"));
        var pixels = new float[10_000 * 784];
        using (var rows = TrainingRows.Open(view, new BridgeColumns("Features", null, LabelKind.None))) rows.Table!.GatherFeatures(null, 0, 10_000, pixels);

        // The book's network: W ~ N(0, 1/n_in), b ~ N(0, 1), sigmoid everywhere. Weights do not change the speed.
        var net = new Sequential(NetworkBuilder.Mlp(784, [30], 10, Activation.Sigmoid, "Normal1OverFanIn", "StandardNormal"), [784], Activation.Sigmoid, new Rng(1));
        var onnx = OnnxExporter.ToBytes(net, labelNames: Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray());
        using var session = OnnxSession.FromBytes(onnx, new OnnxSessionOptions { IntraOpThreads = options.Threads });
        DlBook.Engine.Kernels.Gemm.MaxThreads = options.Threads;

        foreach (int batch in Batches)
        {
            var x = pixels[..(batch * 784)];
            using var runner = session.Runner(batch, outputNames: ["Score"]);
            report.Add($"ort Run [784,30,10] batch {batch}: runner, input in place", "samples/s", batch, Timing.SecondsPerCall(() => runner.Run(x.AsMemory(), batch), options));
            var named = new[] { NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(x, [batch, 784])) };
            report.Add($"ort Run [784,30,10] batch {batch}: binding's allocating Run", "samples/s", batch,
                Timing.SecondsPerCall(() => { using var r = session.Session.Run(named); }, options));
            var tensor = new DlBook.Engine.Tensors.Tensor(x, batch, 784);
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
            var apply = ml.Transforms.ApplyOnnxModel(["Score"], ["Features"], model).Fit(view);
            report.Add("ML.NET ApplyOnnxModel, 10,000 rows (Score read by cursor)", "samples/s", 10_000, Timing.SecondsPerCall(() =>
            {
                var scored = apply.Transform(view);
                using var cur = scored.GetRowCursor([scored.Schema["Score"]]);
                var g = cur.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
                VBuffer<float> v = default;
                while (cur.MoveNext()) g(ref v);
            }, few));
        }
        finally
        {
            File.Delete(model);
            File.Delete(csv);
        }

        using var probe = new OnnxRunOverhead();
        report.Add("ort Run tiny model: our pre-allocated runner", "calls/s", 1, Timing.SecondsPerCall(probe.RunnerRun, options));
        report.Add("ort Run tiny model: binding's OrtValue Run, values made once", "calls/s", 1, Timing.SecondsPerCall(probe.PreparedRun, options));
        report.Add("ort Run tiny model: binding's allocating NamedOnnxValue Run", "calls/s", 1, Timing.SecondsPerCall(probe.AllocatingRun, options));
    }
}

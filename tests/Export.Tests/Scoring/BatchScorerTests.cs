using System.Globalization;
using DlBook.Export.Runtime;
using DlBook.Export.Scoring;
using DlBook.Export.Tests.Support;
using DlBook.Pipelines.Data;
using DlBook.Trainers.Mlp;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Export.Tests.Scoring;

/// <summary>
/// The batch scorer over ML.NET data views on the official binding: the same predictions as ML.NET's Transform of the
/// chain, at every batch size (with a short last batch); typed errors with nothing written; ML.NET's ApplyOnnxModel
/// with gpuDeviceId 0 and the CPU fallback.
/// </summary>
public sealed class BatchScorerTests : IClassFixture<BatchScorerTests.Model>, IDisposable
{
    private readonly Model _m;
    private readonly TempDir _dir = new();

    public BatchScorerTests(Model m) => _m = m;

    public void Dispose() => _dir.Dispose();

    /// <summary>A [784,30,10] MLP trained for one epoch on 3,000 MNIST images and exported.</summary>
    public sealed class Model : IDisposable
    {
        public Model()
        {
            Ml = new MLContext(seed: 1);
            var train = Ml.Data.TakeRows(Ml.Data.LoadFromIdx(DlBook.TestSupport.SharedData.Mnist("train-images-idx3-ubyte.gz"),
                DlBook.TestSupport.SharedData.Mnist("train-labels-idx1-ubyte.gz")), 3_000);
            Chain = Ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(Ml.MulticlassClassification.Trainers.Mlp(new MlpOptions { HiddenLayers = [30], Epochs = 1, L2 = 5, MonitorGradients = false }))
                .Fit(train);
            Onnx = Path.Combine(Path.GetTempPath(), $"dlbook-scorer-{Guid.NewGuid():N}.onnx");
            Ml.Model.ExportToOnnx(Chain, train.Schema, Onnx);
            Test = Ml.Data.TakeRows(Mnist.View(Ml), 1_000);
        }

        public MLContext Ml { get; }
        public ITransformer Chain { get; }
        public string Onnx { get; }
        public IDataView Test { get; }
        public void Dispose() => File.Delete(Onnx);
    }

    public sealed class Scored
    {
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(256)]
    [InlineData(1000)]
    [InlineData(333)]
    public void CsvHoldsWhatMlNetsTransformOfTheChainGives(int batch)
    {
        var expected = _m.Ml.Data.CreateEnumerable<Scored>(_m.Chain.Transform(_m.Test), false).ToList();
        var names = _m.Chain.Transform(_m.Test).Schema["Score"].Annotations;
        using var scorer = new OnnxBatchScorer(_m.Onnx, new OnnxBatchScorerOptions { BatchSize = batch });
        var path = _dir.File($"p{batch}.csv");
        var progress = new List<OnnxScoringProgress>();
        var summary = scorer.ScoreToCsv(_m.Test, path, new SyncProgress(progress));
        Assert.Equal(1_000, summary.Rows);
        Assert.Equal("CPU", summary.ExecutionProvider);
        Assert.Equal(1_000, progress[^1].Rows);
        var lines = File.ReadAllLines(path);
        Assert.StartsWith("Row,PredictedLabel,Score_", lines[0]);
        Assert.Equal(1_001, lines.Length);
        var labelNames = lines[0].Split(',')[2..].Select(h => h["Score_".Length..]).ToArray();
        for (int r = 0; r < 1_000; r++)
        {
            var f = lines[r + 1].Split(',');
            Assert.Equal(r.ToString(CultureInfo.InvariantCulture), f[0]);
            Assert.Equal(labelNames[expected[r].PredictedLabel - 1], f[1]);
            for (int k = 0; k < 10; k++) Assert.InRange(Math.Abs(float.Parse(f[k + 2], CultureInfo.InvariantCulture) - expected[r].Score[k]), 0, 1e-5);
        }
    }

    [Fact]
    public void AnIdxViewReadWholeBatchesWritesTheSameFileAsACursorAtAnyBatchSize()
    {
        // LoadFromIdx's own view is read a batch at a time from its bytes and a 10,000-row batch is formatted on all
        // cores; the same rows behind an ML.NET transform are read row by row and written a slice at a time.
        var idx = Mnist.View(_m.Ml);
        var wrapped = _m.Ml.Data.TakeRows(idx, 10_000);
        using var whole = new OnnxBatchScorer(_m.Onnx, new OnnxBatchScorerOptions { BatchSize = 10_000 });
        using var small = new OnnxBatchScorer(_m.Onnx, new OnnxBatchScorerOptions { BatchSize = 7 });
        var fast = _dir.File("fast.csv");
        var slow = _dir.File("slow.csv");
        Assert.Equal(10_000, whole.ScoreToCsv(idx, fast).Rows);
        Assert.Equal(10_000, small.ScoreToCsv(wrapped, slow).Rows);
        Assert.Equal(File.ReadAllBytes(slow), File.ReadAllBytes(fast));
        Assert.Equal(10_001, File.ReadAllLines(fast).Length);
    }

    [Fact]
    public void AMissingOrWrongColumnFailsBeforeAnythingIsWritten()
    {
        using var scorer = new OnnxBatchScorer(_m.Onnx);
        var path = _dir.File("none.csv");
        var noFeatures = _m.Ml.Transforms.DropColumns("Features").Fit(_m.Test).Transform(_m.Test);
        Assert.Contains("no column 'Features'", Assert.Throws<SchemaException>(() => scorer.ScoreToCsv(noFeatures, path)).Message);
        var small = _m.Ml.Data.LoadFromEnumerable(new[] { new Small { Features = new float[5] } });
        Assert.Contains("Vector<Single, 784>", Assert.Throws<SchemaException>(() => scorer.ScoreToCsv(small, path)).Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    public sealed class Small
    {
        [VectorType(5)] public float[] Features { get; set; } = [];
    }

    public sealed class Wide
    {
        [VectorType(784)] public float[] Features { get; set; } = [];
    }

    [Fact]
    public void ANonFiniteValueNamesTheRowAndColumnAndNothingIsWritten()
    {
        var rows = Enumerable.Range(0, 300).Select(i => new Wide { Features = new float[784] }).ToArray();
        rows[271].Features[5] = float.NaN;
        using var scorer = new OnnxBatchScorer(_m.Onnx, new OnnxBatchScorerOptions { BatchSize = 64 });
        var path = _dir.File("nan.csv");
        var e = Assert.Throws<DataFormatException>(() => scorer.ScoreToCsv(_m.Ml.Data.LoadFromEnumerable(rows), path));
        Assert.Contains("Row 271 of column 'Features'", e.Message);
        Assert.Contains("NaN at index 5", e.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void CudaWithoutFallbackIsATypedErrorAndWithFallbackScoresOnCpu()
    {
        Assert.Throws<OnnxRuntimeProviderException>(() => new OnnxBatchScorer(_m.Onnx, new OnnxBatchScorerOptions { GpuDeviceId = 0 }));
        var warnings = new List<string>();
        using var scorer = new OnnxBatchScorer(_m.Onnx, new OnnxBatchScorerOptions { GpuDeviceId = 0, FallbackToCpu = true, Log = warnings.Add });
        Assert.Equal("CPU", scorer.ExecutionProvider);
        Assert.Single(warnings);
        Assert.Equal(1_000, scorer.ScoreToCsv(_m.Test, _dir.File("cpu.csv")).Rows);
    }

    [Fact]
    public void MlNetsOwnFallbackDoesNotCoverTheCpuPackageOfOnnxRuntime()
    {
        // ML.NET 6 catches only OnnxRuntimeException around the CUDA provider; the CPU build lacks the entry point.
        Assert.Throws<EntryPointNotFoundException>(() =>
            _m.Ml.Transforms.ApplyOnnxModel(["Score"], ["Features"], _m.Onnx, gpuDeviceId: 0, fallbackToCpu: true).Fit(_m.Test));
    }

    [Fact]
    public void ApplyDlBookOnnxModelWithoutFallbackIsATypedError()
    {
        var e = Assert.Throws<OnnxRuntimeProviderException>(() => _m.Ml.Transforms.ApplyDlBookOnnxModel(["Score"], ["Features"], _m.Onnx, gpuDeviceId: 0));
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux", e.Message);
    }

    [Fact]
    public void ApplyDlBookOnnxModelWithGpuDeviceAndFallbackGivesTheChainsPredictionsOnCpu()
    {
        var ml = _m.Ml;
        var warnings = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning && e.Message.Contains("runs on CPU")) lock (warnings) warnings.Add(e.Message); };
        var scored = ml.Transforms.ApplyDlBookOnnxModel(["Score", "PredictedLabel"], ["Features"], _m.Onnx, gpuDeviceId: 0, fallbackToCpu: true)
            .Fit(_m.Test).Transform(_m.Test);
        Assert.NotEmpty(warnings);
        var ours = ml.Data.CreateEnumerable<Scored>(_m.Chain.Transform(_m.Test), false).ToList();
        var theirs = ml.Data.CreateEnumerable<OnnxScored>(scored, false).ToList();
        for (int r = 0; r < ours.Count; r++)
        {
            Assert.Equal(ours[r].PredictedLabel - 1, theirs[r].PredictedLabel[0]);
            for (int k = 0; k < 10; k++) Assert.InRange(Math.Abs(ours[r].Score[k] - theirs[r].Score[k]), 0, 1e-5);
        }
    }

    public sealed class OnnxScored
    {
        public float[] Score { get; set; } = [];
        public long[] PredictedLabel { get; set; } = [];
    }

    private sealed class SyncProgress(List<OnnxScoringProgress> sink) : IProgress<OnnxScoringProgress>
    {
        public void Report(OnnxScoringProgress value) => sink.Add(value);
    }
}

using System.Globalization;
using DlBook.Engine.Activations;
using DlBook.Engine.Tensors;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Export.Scoring;
using DlBook.Export.Tests.Support;
using DlBook.Pipelines.Data;

namespace DlBook.Export.Tests.Scoring;

/// <summary>OnnxBatchScorer: the predictions CSV, progress, and nothing written on failure.</summary>
public class BatchScorerTests
{
    [Fact]
    public void WritesOneLinePerRowWithLabelAndProbabilities()
    {
        using var dir = new TempDir();
        var net = Networks.Build(12, Activation.Softmax, "MulticlassClassification", Networks.Dense("d1", 12, 3));
        var model = dir.File("m.onnx");
        OnnxExporter.Export(net, model);
        var x = Networks.Inputs(1000, 12);
        var data = new InMemoryDataView(x, 1000, 12);
        var reports = new List<OnnxScoringProgress>();
        using var scorer = new OnnxBatchScorer(model, new OnnxBatchScorerOptions { BatchSize = 64 });
        var summary = scorer.ScoreToCsv(data, dir.File("out/predictions.csv"), new SyncProgress(reports));

        Assert.Equal(1000, summary.Rows);
        Assert.Equal("CPU", summary.ExecutionProvider);
        Assert.Equal(16, reports.Count);
        Assert.Equal(1000, reports[^1].Rows);
        Assert.Equal(1000, reports[^1].TotalRows);
        Assert.True(reports[^1].RowsPerSecond > 0);

        var lines = File.ReadAllLines(summary.OutputPath);
        Assert.Equal("Row,PredictedLabel,Score_class0,Score_class1,Score_class2", lines[0]);
        Assert.Equal(1001, lines.Length);
        var expected = net.Predict(new Tensor(x, 1000, 12));
        foreach (int r in new[] { 0, 1, 500, 999 })
        {
            var f = lines[r + 1].Split(',');
            Assert.Equal(r.ToString(CultureInfo.InvariantCulture), f[0]);
            var want = expected.Row(r).ToArray();
            Assert.Equal($"class{Array.IndexOf(want, want.Max())}", f[1]);
            for (int j = 0; j < 3; j++) Assert.Equal(want[j], float.Parse(f[2 + j], CultureInfo.InvariantCulture), 1e-4f);
        }
        Assert.Single(Directory.GetFiles(dir.File("out")));
    }

    [Fact]
    public void WrongShapeFailsBeforeWritingAndLeavesNoFile()
    {
        using var dir = new TempDir();
        var model = dir.File("m.onnx");
        OnnxExporter.Export(Networks.Build(12, Activation.Softmax, "MulticlassClassification", Networks.Dense("d1", 12, 3)), model);
        using var scorer = new OnnxBatchScorer(model);
        var output = dir.File("predictions.csv");
        var e = Assert.Throws<SchemaException>(() => scorer.ScoreToCsv(new InMemoryDataView(Networks.Inputs(10, 5), 10, 5), output));
        Assert.Contains("expects float32[batch,12]", e.Message);
        Assert.Equal([model], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void FailureMidwayLeavesNoPartialFileAndKeepsAnOldOne()
    {
        using var dir = new TempDir();
        var model = dir.File("m.onnx");
        OnnxExporter.Export(Networks.Build(12, Activation.Softmax, "MulticlassClassification", Networks.Dense("d1", 12, 3)), model);
        using var scorer = new OnnxBatchScorer(model, new OnnxBatchScorerOptions { BatchSize = 10 });
        var output = dir.File("predictions.csv");
        File.WriteAllText(output, "previous run\n");
        var failing = new FailingDataView(new InMemoryDataView(Networks.Inputs(100, 12), 100, 12), failAfterBatches: 3);
        Assert.Throws<IOException>(() => scorer.ScoreToCsv(failing, output));
        Assert.Equal("previous run\n", File.ReadAllText(output));
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length);
    }

    [Fact]
    public void MissingModelIsATypedError()
    {
        Assert.Throws<OnnxModelLoadException>(() => new OnnxBatchScorer("/nonexistent/m.onnx"));
    }

    private sealed class SyncProgress(List<OnnxScoringProgress> list) : IProgress<OnnxScoringProgress>
    {
        public void Report(OnnxScoringProgress value) => list.Add(value);
    }

    private sealed class FailingDataView(IDataView inner, int failAfterBatches) : IDataView
    {
        public DataSchema Schema => inner.Schema;
        public long? RowCount => inner.RowCount;
        public IEnumerable<DataBatch> GetBatches(BatchOptions options)
        {
            int n = 0;
            foreach (var b in inner.GetBatches(options))
            {
                if (n++ == failAfterBatches) throw new IOException("disk read failed at batch 3 (simulated)");
                yield return b;
            }
        }
    }
}

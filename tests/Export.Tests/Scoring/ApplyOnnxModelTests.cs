using DlBook.Engine.Activations;
using DlBook.Engine.Tensors;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Export.Scoring;
using DlBook.Export.Tests.Support;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Export.Tests.Scoring;

/// <summary>ApplyOnnxModel as a pipeline step: columns added, values equal to the reference, typed schema errors.</summary>
public class ApplyOnnxModelTests
{
    private static (string Path, FakeNetworkModel Net, TempDir Dir) Model()
    {
        var dir = new TempDir();
        var net = Networks.Build(12, Activation.Softmax, "MulticlassClassification", Networks.Dense("d1", 12, 8), Networks.Act("a", 8, Activation.Sigmoid), Networks.Dense("d2", 8, 10));
        var path = dir.File("m.onnx");
        OnnxExporter.Export(net, path);
        return (path, net, dir);
    }

    [Fact]
    public void AddsScoreAndPredictedLabelColumnsEqualToTheReference()
    {
        var (path, net, dir) = Model();
        using var _ = dir;
        var ctx = new DlContext(seed: 1);
        var x = Networks.Inputs(100, 12);
        var data = new InMemoryDataView(x, 100, 12, labels: Enumerable.Range(0, 100).Select(i => (uint)(i % 10)).ToArray());
        using var t = ctx.Transforms.ApplyOnnxModel(path).Fit(data);
        var scored = t.Transform(data);
        Assert.Equal(new VectorType([10]), scored.Schema["Score"].Type);
        var key = Assert.IsType<KeyType>(scored.Schema["PredictedLabel"].Type);
        Assert.Equal(10, key.Count);
        Assert.Equal("class3", key.LabelNames![3]);
        Assert.IsType<KeyType>(scored.Schema["Label"].Type);

        var expected = net.Predict(new Tensor(x, 100, 12));
        int row = 0;
        foreach (var b in scored.GetBatches(new BatchOptions { BatchSize = 32 }))
        {
            var s = b.Get<FloatColumnData>("Score");
            var k = b.Get<KeyColumnData>("PredictedLabel");
            for (int r = 0; r < b.RowCount; r++, row++)
            {
                var want = expected.Row(row);
                for (int j = 0; j < 10; j++) Assert.True(Math.Abs(s.Row(r)[j] - want[j]) <= 1e-4);
                Assert.Equal((uint)want.IndexOf(want.ToArray().Max()), k.Keys[r]);
            }
            Assert.Equal(b.RowCount, b.Get<KeyColumnData>("Label").RowCount);
        }
        Assert.Equal(100, row);
    }

    [Fact]
    public void SingleOutputOverloadAddsOnlyThatColumn()
    {
        var (path, _, dir) = Model();
        using var _ = dir;
        var ctx = new DlContext();
        var data = new InMemoryDataView(Networks.Inputs(10, 12), 10, 12);
        using var t = ctx.Transforms.ApplyOnnxModel("Score", "Features", path).Fit(data);
        var schema = t.GetOutputSchema(data.Schema);
        Assert.Null(schema.GetColumnOrNull("PredictedLabel"));
        Assert.NotNull(schema.GetColumnOrNull("Score"));
        var b = t.Transform(data).GetBatches(new BatchOptions { BatchSize = 10, Columns = ["Score"] }).Single();
        Assert.Equal(100, b.Get<FloatColumnData>("Score").Values.Length);
    }

    [Fact]
    public void MissingColumnIsASchemaErrorNamingIt()
    {
        var (path, _, dir) = Model();
        using var _ = dir;
        var data = new InMemoryDataView(Networks.Inputs(4, 12), 4, 12, column: "Pixels");
        var e = Assert.Throws<SchemaException>(() => new DlContext().Transforms.ApplyOnnxModel(path).Fit(data));
        Assert.Contains("needs column 'Features' (float32[batch,12])", e.Message);
        Assert.Contains("Pixels", e.Message);
    }

    [Fact]
    public void WrongColumnShapeIsASchemaErrorWithTheExpectedShape()
    {
        var (path, _, dir) = Model();
        using var _ = dir;
        var data = new InMemoryDataView(Networks.Inputs(4, 7), 4, 7);
        var e = Assert.Throws<SchemaException>(() => new DlContext().Transforms.ApplyOnnxModel(path).Fit(data));
        Assert.Contains("Column 'Features' is Vector<Single>[7]", e.Message);
        Assert.Contains("expects float32[batch,12]", e.Message);
    }

    [Fact]
    public void WrongColumnTypeIsASchemaError()
    {
        var (path, _, dir) = Model();
        using var _ = dir;
        var ctx = new DlContext();
        using var t = ctx.Transforms.ApplyOnnxModel(path).Fit(new InMemoryDataView(Networks.Inputs(1, 12), 1, 12));
        var textSchema = new DataSchema([new DataColumn("Features", TextType.Instance)]);
        var e = Assert.Throws<SchemaException>(() => t.GetOutputSchema(textSchema));
        Assert.Contains("Column 'Features' is String", e.Message);
    }

    [Fact]
    public void UnknownOutputOrInputNameIsASchemaError()
    {
        var (path, _, dir) = Model();
        using var _ = dir;
        var ctx = new DlContext();
        var data = new InMemoryDataView(Networks.Inputs(1, 12), 1, 12);
        Assert.Contains("'Probability' is not an output", Assert.Throws<SchemaException>(() => ctx.Transforms.ApplyOnnxModel(path, ["Probability"]).Fit(data)).Message);
        Assert.Contains("'Image' is not an input", Assert.Throws<SchemaException>(() => ctx.Transforms.ApplyOnnxModel(path, null, ["Image"]).Fit(data)).Message);
    }

    [Fact]
    public void NonOnnxAndTruncatedFilesAreModelLoadErrors()
    {
        var (path, _, dir) = Model();
        using var _ = dir;
        var bytes = File.ReadAllBytes(path);
        var cut = dir.File("cut.onnx");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var text = dir.File("text.onnx");
        File.WriteAllText(text, "Row,Label\n1,2\n");
        var data = new InMemoryDataView(Networks.Inputs(1, 12), 1, 12);
        Assert.Contains("cut.onnx", Assert.Throws<OnnxModelLoadException>(() => new DlContext().Transforms.ApplyOnnxModel(cut).Fit(data)).Message);
        Assert.Contains("text.onnx", Assert.Throws<OnnxModelLoadException>(() => new DlContext().Transforms.ApplyOnnxModel(text).Fit(data)).Message);
    }

    [Fact]
    public void GpuRequestedThroughTheContextFallsBackWithAWarningInTheLog()
    {
        var (path, _, dir) = Model();
        using var _ = dir;
        var ctx = new DlContext { GpuDeviceId = 0, FallbackToCpu = true };
        var warnings = new List<string>();
        ctx.Log += (_, e) => { if (e.Level == LogLevel.Warning) warnings.Add(e.Message); };
        using var t = ctx.Transforms.ApplyOnnxModel(path).Fit(new InMemoryDataView(Networks.Inputs(3, 12), 3, 12));
        Assert.Equal("CPU", t.Session.ExecutionProvider);
        Assert.Contains(warnings, w => w.Contains("GPU device 0") && w.Contains("CPU"));
        Assert.Throws<OnnxRuntimeProviderException>(() => new DlContext().Transforms.ApplyOnnxModel(path, gpuDeviceId: 0, fallbackToCpu: false).Fit(new InMemoryDataView(Networks.Inputs(3, 12), 3, 12)));
    }

    [Fact]
    public void TransformerSavesItsSettingsAndReloadsThroughTheRegistry()
    {
        var (path, _, dir) = Model();
        using var _ = dir;
        var ctx = new DlContext();
        using var t = ctx.Transforms.ApplyOnnxModel(path, ["Score"]).Fit(new InMemoryDataView(Networks.Inputs(1, 12), 1, 12));
        var save = new TransformerSaveContext();
        t.Save(save);
        var loaded = TransformerRegistry.Load(new TransformerLoadContext(ctx, t.Kind, save.Settings, save.Tensors, "test"));
        using var l = Assert.IsType<OnnxScoringTransformer>(loaded);
        Assert.Equal(["Score"], l.OutputColumnNames);
        Assert.Equal(["Features"], l.InputColumnNames);
    }
}

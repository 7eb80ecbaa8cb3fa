using DlBook.Export.Onnx;
using DlBook.Export.Tests.Support;
using DlBook.Trainers;
using DlBook.Trainers.Mlp;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DlBook.Export.Tests.Onnx;

/// <summary>
/// Whole fitted ML.NET chains exported by <c>ml.Model.ExportToOnnx</c>: ONNX Runtime on the raw input columns gives what
/// ML.NET's Transform of the chain gives (Score within 1e-5, PredictedLabel equal), ML.NET's own ApplyOnnxModel reads
/// the file, the ONNX checker passes, and a step that cannot be written is an error naming it with nothing written.
/// </summary>
public sealed class ChainExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-chain-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public sealed class Raw
    {
        public float A { get; set; }
        public float B { get; set; }
        [VectorType(4)] public float[] C { get; set; } = [];
        public string Colour { get; set; } = "";
        public bool Positive { get; set; }
        public float Target { get; set; }
    }

    /// <summary>600 rows: three raw columns on different scales; the colour depends on A + C₀, the flag on B, the target on all.</summary>
    internal static List<Raw> Rows(int n = 600, int seed = 3)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ =>
        {
            float a = (float)(r.NextDouble() * 100), b = (float)(r.NextDouble() * 2 - 1);
            var c = Enumerable.Range(0, 4).Select(_ => (float)r.NextDouble()).ToArray();
            float s = a / 100 + c[0];
            return new Raw { A = a, B = b, C = c, Colour = s < 0.7 ? "red" : s < 1.3 ? "green" : "blue", Positive = b + c[1] > 0.5, Target = 0.02f * a + 3 * b - c[2] };
        }).ToList();
    }

    private static MlpOptions Quick => new() { HiddenLayers = [8], Epochs = 3, BatchSize = 16, LearningRate = 0.5f, MonitorGradients = false };

    [Fact]
    public void MulticlassChainRunsInOnnxRuntimeOnTheRawColumnsAsMlNetTransformsIt()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows());
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "Colour")
            .Append(ml.Transforms.Concatenate("Features", "A", "B", "C"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(Quick))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(data);
        string path = Path.Combine(_dir, "colour.onnx");
        var info = ml.Model.ExportToOnnx(model, data.Schema, path);
        Assert.Equal(["Score", "PredictedLabel"], info.Outputs);
        Assert.Equal(2, info.FoldedSteps);
        Assert.Equal(0, OnnxChecker.Check(path).ExitCode);

        var expected = ml.Data.CreateEnumerable<ColourOut>(model.Transform(data), reuseRowObject: false).ToList();
        var rows = Rows();
        using var session = new InferenceSession(path);
        Assert.Equal(["A", "B", "C"], session.InputMetadata.Keys.Order());
        using var results = session.Run(Inputs(rows, "A", "B", "C"));
        var score = results.First(r => r.Name == "Score").AsTensor<float>().ToArray();
        var label = results.First(r => r.Name == "PredictedLabel").AsTensor<string>().ToArray();
        for (int i = 0; i < rows.Count; i++)
        {
            for (int k = 0; k < 3; k++) Assert.InRange(Math.Abs(score[i * 3 + k] - expected[i].Score[k]), 0, 1e-5);
            Assert.Equal(expected[i].PredictedLabel, label[i]);
        }
        Assert.Contains(expected, e => e.PredictedLabel != expected[0].PredictedLabel);   // the check sees more than one class
    }

    public sealed class ColourOut
    {
        public float[] Score { get; set; } = [];
        public string PredictedLabel { get; set; } = "";
    }

    [Fact]
    public void MlNetsApplyOnnxModelReadsOurFileAndMatchesTheChain()
    {
        var ml = new MLContext(seed: 2);
        var data = ml.Data.LoadFromEnumerable(Rows());
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "Colour")
            .Append(ml.Transforms.Concatenate("Features", "A", "B", "C"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(Quick))
            .Fit(data);
        string path = Path.Combine(_dir, "apply.onnx");
        ml.Model.ExportToOnnx(model, data.Schema, path);
        var onnx = ml.Transforms.ApplyOnnxModel(["Score", "PredictedLabel"], ["A", "B", "C"], path).Fit(data).Transform(data);
        var ours = ml.Data.CreateEnumerable<KeyOut>(model.Transform(data), false).ToList();
        var theirs = ml.Data.CreateEnumerable<OnnxOut>(onnx, false).ToList();
        Assert.Equal(ours.Count, theirs.Count);
        for (int i = 0; i < ours.Count; i++)
        {
            for (int k = 0; k < 3; k++) Assert.InRange(Math.Abs(ours[i].Score[k] - theirs[i].Score[k]), 0, 1e-5);
            Assert.Equal(ours[i].PredictedLabel - 1, theirs[i].PredictedLabel[0]);   // ONNX gives the class index, ML.NET the key
        }
    }

    public sealed class KeyOut
    {
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    public sealed class OnnxOut
    {
        public float[] Score { get; set; } = [];
        public long[] PredictedLabel { get; set; } = [];
    }

    [Fact]
    public void BinaryChainGivesScoreProbabilityAndPredictedLabelAsMlNet()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows());
        var model = ml.Transforms.CopyColumns("Label", "Positive")
            .Append(ml.Transforms.Concatenate("Features", "B", "C"))
            .Append(ml.BinaryClassification.Trainers.Mlp(Quick))
            .Fit(data);
        string path = Path.Combine(_dir, "binary.onnx");
        Assert.Equal(["Score", "Probability", "PredictedLabel"], ml.Model.ExportToOnnx(model, data.Schema, path).Outputs);
        Assert.Equal(0, OnnxChecker.Check(path).ExitCode);
        var expected = ml.Data.CreateEnumerable<BinaryOut>(model.Transform(data), false).ToList();
        var rows = Rows();
        using var session = new InferenceSession(path);
        using var results = session.Run(Inputs(rows, "B", "C"));
        var score = results.First(r => r.Name == "Score").AsTensor<float>().ToArray();
        var probability = results.First(r => r.Name == "Probability").AsTensor<float>().ToArray();
        var label = results.First(r => r.Name == "PredictedLabel").AsTensor<bool>().ToArray();
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.InRange(Math.Abs(score[i] - expected[i].Score), 0, 1e-5);
            Assert.InRange(Math.Abs(probability[i] - expected[i].Probability), 0, 1e-5);
            Assert.Equal(expected[i].PredictedLabel, label[i]);
        }
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(data));
        Assert.InRange(metrics.Accuracy, 0.7, 1.0);
    }

    public sealed class BinaryOut
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    [Fact]
    public void RegressionChainMatches()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows());
        var model = ml.Transforms.CopyColumns("Label", "Target")
            .Append(ml.Transforms.Concatenate("Features", "A", "B", "C"))
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.Regression.Trainers.Mlp(Quick))
            .Fit(data);
        string path = Path.Combine(_dir, "regression.onnx");
        Assert.Equal(["Score"], ml.Model.ExportToOnnx(model, data.Schema, path).Outputs);
        var expected = ml.Data.CreateEnumerable<RegressionOut>(model.Transform(data), false).Select(r => r.Score).ToArray();
        var rows = Rows();
        using var session = new InferenceSession(path);
        using var results = session.Run(Inputs(rows, "A", "B", "C"));
        var score = results.First().AsTensor<float>().ToArray();
        for (int i = 0; i < rows.Count; i++) Assert.InRange(Math.Abs(score[i] - expected[i]), 0, 1e-4 * Math.Max(1, Math.Abs(expected[i])));
        Assert.True(ml.Regression.Evaluate(model.Transform(data)).RSquared > 0.5);
    }

    public sealed class RegressionOut
    {
        public float Score { get; set; }
    }

    [Fact]
    public void AStepThatCannotBeWrittenIsAnErrorNamingItAndNothingIsWritten()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows());
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "Colour")
            .Append(ml.Transforms.Concatenate("Features", "A", "B", "C"))
            .Append(ml.Transforms.NormalizeLogMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(Quick))
            .Fit(data);
        string path = Path.Combine(_dir, "bad.onnx");
        var e = Assert.Throws<OnnxExportException>(() => ml.Model.ExportToOnnx(model, data.Schema, path));
        Assert.Contains("step 2", e.Message);
        Assert.Contains("not affine", e.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void AChainWithoutADlBookNetworkIsAnError()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows());
        var model = ml.Transforms.Concatenate("Features", "A", "B").Fit(data);
        var e = Assert.Throws<OnnxExportException>(() => ml.Model.ExportToOnnx(model, data.Schema, Path.Combine(_dir, "none.onnx")));
        Assert.Contains("no trained DlBook network", e.Message);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(22)]
    public void OpsetsOutside13To21AreRejected(int opset)
    {
        var (ml, data, model) = Colour();
        var e = Assert.Throws<OnnxExportException>(() => ml.Model.ExportToOnnx(model, data.Schema, Path.Combine(_dir, "o.onnx"), opset));
        Assert.Contains("13–21", e.Message);
    }

    [Theory]
    [InlineData(13, 7)]
    [InlineData(17, 8)]
    [InlineData(21, 10)]
    public void EverySupportedOpsetLoadsInOnnxRuntimeAndGivesTheSameScores(int opset, int ir)
    {
        var (ml, data, model) = Colour();
        string a = Path.Combine(_dir, $"o{opset}.onnx"), b = Path.Combine(_dir, "o17.ref.onnx");
        ml.Model.ExportToOnnx(model, data.Schema, a, opset);
        ml.Model.ExportToOnnx(model, data.Schema, b);
        Assert.Equal(ir, (int)OnnxExporter.IrVersionFor(opset));
        // Debian's python3-onnx 1.12 knows opsets up to 17 (IR 8); newer files are held to ONNX Runtime alone.
        if (opset <= 17) Assert.Equal(0, OnnxChecker.Check(a).ExitCode);
        var rows = Rows(50);
        float[] Run(string p)
        {
            using var s = new InferenceSession(p);
            using var r = s.Run(Inputs(rows, "A", "B", "C"));
            return r.First(x => x.Name == "Score").AsTensor<float>().ToArray();
        }
        Assert.Equal(Run(b), Run(a));
    }

    [Fact]
    public void ExportReplacesAnExistingFileAtomicallyAndLeavesNoTemporaryFiles()
    {
        var (ml, data, model) = Colour();
        string path = Path.Combine(_dir, "m.onnx");
        File.WriteAllText(path, "old");
        ml.Model.ExportToOnnx(model, data.Schema, path);
        Assert.NotEqual("old", File.ReadAllText(path)[..Math.Min(3, (int)new FileInfo(path).Length)]);
        Assert.Equal([path], Directory.GetFiles(_dir));
    }

    /// <summary>The raw columns of <paramref name="rows"/> as ONNX Runtime inputs: A and B [rows, 1], C [rows, 4].</summary>
    private static List<NamedOnnxValue> Inputs(List<Raw> rows, params string[] names) => names.Select(n => n switch
    {
        "A" => NamedOnnxValue.CreateFromTensor(n, new DenseTensor<float>(rows.Select(x => x.A).ToArray(), [rows.Count, 1])),
        "B" => NamedOnnxValue.CreateFromTensor(n, new DenseTensor<float>(rows.Select(x => x.B).ToArray(), [rows.Count, 1])),
        _ => NamedOnnxValue.CreateFromTensor(n, new DenseTensor<float>(rows.SelectMany(x => x.C).ToArray(), [rows.Count, 4])),
    }).ToList();

    private static (MLContext, IDataView, ITransformer) Colour()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows());
        var model = ml.Transforms.Conversion.MapValueToKey("Label", "Colour")
            .Append(ml.Transforms.Concatenate("Features", "A", "B", "C"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(Quick))
            .Fit(data);
        return (ml, data, model);
    }
}

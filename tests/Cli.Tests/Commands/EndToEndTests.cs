using System.Text.Json.Nodes;
using DlBook.Cli.Tests.Support;
using DlBook.TestSupport;

namespace DlBook.Cli.Tests.Commands;

/// <summary>
/// The CLI's whole path on real MNIST: train → evaluate → predict → export → score (ONNX Runtime) → package,
/// with a small network and a subset so it stays fast. The trained model is shared by the tests of this class.
/// </summary>
public sealed class EndToEndTests(EndToEndTests.TrainedModel trained) : IClassFixture<EndToEndTests.TrainedModel>
{
    public sealed class TrainedModel : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("dlbook-e2e-").FullName;
        public string Model => Path.Combine(Dir, "m.dlbook");
        public CliRunner.Result Train { get; }
        public JsonNode TrainJson { get; }

        public TrainedModel()
        {
            Train = CliRunner.Run("train", "mlp", "--data-dir", SharedData.Root, "--hidden", "30", "--epochs", "2",
                "--train-rows", "5000", "--validation-rows", "1000", "--seed", "7", "--out", Model, "--json");
            TrainJson = JsonNode.Parse(Train.Out) ?? throw new InvalidOperationException("train --json wrote nothing: " + Train.Error);
        }

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    private string Tmp(string name) => Path.Combine(trained.Dir, name);

    [Fact]
    public void TrainWritesTheModelTheHistoryAndTheGradientReport()
    {
        Assert.True(trained.Train.ExitCode == 0, trained.Train.Error);
        Assert.True(File.Exists(trained.Model));
        var epochs = trained.TrainJson["epochs"]!.AsArray();
        Assert.Equal(2, epochs.Count);
        // 5,000 images, 2 epochs of the book's settings: well above chance, below the full run.
        Assert.InRange(epochs[1]!["validationAccuracy"]!.GetValue<double>(), 0.80, 1.0);
        Assert.True(File.Exists(Path.Combine(trained.Dir, "gradients.csv")), "gradient report beside the model");
    }

    [Fact]
    public void EvaluateReportsAccuracyOnTheTestSet()
    {
        var r = CliRunner.Run("evaluate", "--model", trained.Model, "--data", "mnist", "--split", "test", "--data-dir", SharedData.Root, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var doc = JsonNode.Parse(r.Out)!;
        Assert.InRange(doc["microAccuracy"]!.GetValue<double>(), 0.80, 1.0);
        Assert.Equal(10, doc["confusionMatrix"]!.AsArray().Count);
    }

    [Fact]
    public void PredictOnTheEngineAndScoreOnOnnxRuntimeAgree()
    {
        var onnx = Tmp("agree.onnx");
        Assert.Equal(0, CliRunner.Run("export", "--model", trained.Model, "--out", onnx, "--quiet").ExitCode);
        var images = SharedData.Mnist("t10k-images-idx3-ubyte.gz");
        var p = CliRunner.Run("predict", "--model", trained.Model, "--input", images, "--out", Tmp("engine.csv"), "--quiet");
        Assert.True(p.ExitCode == 0, p.Error);
        var s = CliRunner.Run("score", "--model", onnx, "--input", images, "--out", Tmp("ort.csv"), "--batch", "256", "--quiet");
        Assert.True(s.ExitCode == 0, s.Error);
        var engine = File.ReadAllLines(Tmp("engine.csv"));
        var ort = File.ReadAllLines(Tmp("ort.csv"));
        Assert.Equal(10_001, engine.Length);
        Assert.Equal(engine[0], ort[0]);
        double worst = 0;
        for (int i = 1; i < engine.Length; i++)
        {
            var a = engine[i].Split(',');
            var b = ort[i].Split(',');
            Assert.Equal(a[1], b[1]); // predicted label
            for (int j = 2; j < a.Length; j++)
                worst = Math.Max(worst, Math.Abs(double.Parse(a[j], System.Globalization.CultureInfo.InvariantCulture) - double.Parse(b[j], System.Globalization.CultureInfo.InvariantCulture)));
        }
        Assert.True(worst < 1e-4, $"max |engine − ORT| = {worst}");
    }

    [Fact]
    public void ScoreReadsCsvFeatures()
    {
        var onnx = Tmp("csv.onnx");
        Assert.Equal(0, CliRunner.Run("export", "--model", trained.Model, "--out", onnx, "--quiet").ExitCode);
        var csv = Tmp("rows.csv");
        File.WriteAllLines(csv, [string.Join(",", Enumerable.Repeat("0", 784)), string.Join(",", Enumerable.Repeat("0.5", 784))]);
        var r = CliRunner.Run("score", "--model", onnx, "--input", csv, "--out", Tmp("csv-pred.csv"), "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(2, JsonNode.Parse(r.Out)!["rows"]!.GetValue<long>());
        Assert.Equal(3, File.ReadAllLines(Tmp("csv-pred.csv")).Length);
    }

    [Fact]
    public void ScoreWithTheWrongFeatureCountFailsAndWritesNothing()
    {
        var onnx = Tmp("wrong.onnx");
        Assert.Equal(0, CliRunner.Run("export", "--model", trained.Model, "--out", onnx, "--quiet").ExitCode);
        var csv = Tmp("short.csv");
        File.WriteAllLines(csv, ["1,2,3"]);
        var output = Tmp("never.csv");
        var r = CliRunner.Run("score", "--model", onnx, "--input", csv, "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("784", r.Error);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(trained.Dir, ".never.csv*"));
    }

    [Fact]
    public void CudaWithoutAProviderFailsClearlyOrFallsBackWhenAsked()
    {
        var onnx = Tmp("cuda.onnx");
        Assert.Equal(0, CliRunner.Run("export", "--model", trained.Model, "--out", onnx, "--quiet").ExitCode);
        var images = SharedData.Mnist("t10k-images-idx3-ubyte.gz");
        var fail = CliRunner.Run("score", "--model", onnx, "--input", images, "--device", "cuda:0", "--out", Tmp("c1.csv"));
        Assert.Equal(3, fail.ExitCode);
        Assert.Contains("CUDA", fail.Error);
        Assert.False(File.Exists(Tmp("c1.csv")));
        var ok = CliRunner.Run("score", "--model", onnx, "--input", images, "--device", "cuda:0", "--fallback-to-cpu", "--out", Tmp("c2.csv"), "--json");
        Assert.True(ok.ExitCode == 0, ok.Error);
        Assert.Contains("warning:", ok.Error);
        Assert.Equal("CPU", JsonNode.Parse(ok.Out)!["executionProvider"]!.GetValue<string>());
    }

    [Fact]
    public void PackageWritesATritonRepository()
    {
        var dir = Tmp("triton");
        var r = CliRunner.Run("package", "--model", trained.Model, "--triton", dir, "--name", "mnist", "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.True(File.Exists(Path.Combine(dir, "mnist", "1", "model.onnx")));
        var config = File.ReadAllText(Path.Combine(dir, "mnist", "config.pbtxt"));
        Assert.Contains("onnxruntime", config);
        Assert.Contains("dynamic_batching", config);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("not-onnx")]
    public void ScoreWithABrokenOnnxFileIsABadInputNamingItAndWritesNothing(string kind)
    {
        var onnx = Tmp($"{kind}.onnx");
        Assert.Equal(0, CliRunner.Run("export", "--model", trained.Model, "--out", onnx, "--quiet").ExitCode);
        var bytes = File.ReadAllBytes(onnx);
        if (kind == "truncated") File.WriteAllBytes(onnx, bytes[..(bytes.Length / 2)]);
        else File.WriteAllText(onnx, "this is a CSV file, not an ONNX model\n1,2,3\n");
        var output = Tmp($"{kind}-out.csv");
        var r = CliRunner.Run("score", "--model", onnx, "--input", SharedData.Mnist("t10k-images-idx3-ubyte.gz"), "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{kind}.onnx", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ScoreOnCudaWithoutAGpuBuildIsAnEnvironmentErrorNamingTheFlagAndWithTheFlagRunsOnCpu()
    {
        var onnx = Tmp("cuda.onnx");
        Assert.Equal(0, CliRunner.Run("export", "--model", trained.Model, "--out", onnx, "--quiet").ExitCode);
        var output = Tmp("cuda-out.csv");
        var r = CliRunner.Run("score", "--model", onnx, "--input", SharedData.Mnist("t10k-images-idx3-ubyte.gz"), "--out", output, "--device", "cuda:0");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux", r.Error);
        Assert.Contains("CUDA 13", r.Error);
        Assert.Contains("--fallback-to-cpu", r.Error);
        Assert.False(File.Exists(output));
        var ok = CliRunner.Run("score", "--model", onnx, "--input", SharedData.Mnist("t10k-images-idx3-ubyte.gz"), "--out", output, "--device", "cuda:0", "--fallback-to-cpu");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("on CPU", ok.Error);
        Assert.Equal(10_001, File.ReadAllLines(output).Length);
    }

    [Fact]
    public void ScoreWithANonNumericCsvCellIsABadInputNamingTheRowAndWritesNothing()
    {
        var onnx = Tmp("text.onnx");
        Assert.Equal(0, CliRunner.Run("export", "--model", trained.Model, "--out", onnx, "--quiet").ExitCode);
        var csv = Tmp("text.csv");
        var good = string.Join(',', Enumerable.Repeat("0", 784));
        File.WriteAllLines(csv, [good, good, string.Join(',', Enumerable.Repeat("0", 783).Append("seven"))]);
        var output = Tmp("text-out.csv");
        var r = CliRunner.Run("score", "--model", onnx, "--input", csv, "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("text.csv", r.Error);
        Assert.Contains("Row 2 of column 'Features'", r.Error);
        Assert.Contains("index 783", r.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ACorruptModelFileIsABadInputNamingTheFile()
    {
        var bad = Tmp("bad.dlbook");
        File.WriteAllText(bad, "not a zip");
        var r = CliRunner.Run("evaluate", "--model", bad, "--data-dir", SharedData.Root);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bad.dlbook", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
    }
}

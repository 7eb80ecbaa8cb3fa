using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using DlBook.Cli.Tests.Support;
using DlBook.TestSupport;

namespace DlBook.Cli.Tests.Commands;

/// <summary>
/// The CLI's whole path on real MNIST: train → evaluate → predict → export → package, with a small network and a
/// subset so it stays fast. The trained model is shared by the tests of this class.
/// </summary>
public sealed class EndToEndTests(TrainedModel trained) : IClassFixture<TrainedModel>
{
    private string Tmp(string name) => trained.Tmp(name);

    [Fact]
    public void TrainWritesAnMlNetModelZipTheHistoryAndTheGradientReport()
    {
        Assert.True(trained.Train.ExitCode == 0, trained.Train.Error);
        using (var zip = ZipFile.OpenRead(trained.Model))
            Assert.Contains(zip.Entries, e => e.FullName.StartsWith("TransformerChain/", StringComparison.Ordinal));
        var epochs = trained.TrainJson["epochs"]!.AsArray();
        Assert.Single(epochs);
        // 5,000 images, 1 epoch of the book's settings: well above chance, below the full run.
        Assert.InRange(epochs[0]!["validationAccuracy"]!.GetValue<double>(), 0.75, 1.0);
        Assert.Equal(7, trained.TrainJson["seed"]!.GetValue<int>());
        Assert.True(File.Exists(Path.Combine(trained.Dir, "m.gradients.csv")), "gradient report beside the model");
        Assert.True(File.Exists(Path.Combine(trained.Dir, "m.history.csv")), "history beside the model");
    }

    [Fact]
    public void EvaluateReportsMlNetsMetricsOnTheTestSet()
    {
        var r = CliRunner.Run("evaluate", "--model", trained.Model, "--data", "mnist", "--split", "test", "--data-dir", SharedData.Root, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var doc = JsonNode.Parse(r.Out)!;
        Assert.InRange(doc["microAccuracy"]!.GetValue<double>(), 0.75, 1.0);
        Assert.InRange(doc["macroAccuracy"]!.GetValue<double>(), 0.7, 1.0);
        Assert.InRange(doc["logLoss"]!.GetValue<double>(), 0.01, 2.0);
        var matrix = doc["confusionMatrix"]!.AsArray();
        Assert.Equal(10, matrix.Count);
        // The confusion matrix counts the 10,000 test images; its rows are the digits in order.
        Assert.Equal(10_000, matrix.Sum(row => row!.AsArray().Sum(x => x!.GetValue<double>())));
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], doc["classes"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(10, doc["perClassPrecision"]!.AsArray().Count);
    }

    [Fact]
    public void EvaluatePrintsTheTablesAndAOneLineResult()
    {
        var r = CliRunner.Run("evaluate", "--model", trained.Model, "--data-dir", SharedData.Root);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("precision", r.Out);
        Assert.Contains("Confusion matrix", r.Out);
        Assert.Contains("on --data mnist --split test", r.Out);
        var quiet = CliRunner.Run("evaluate", "--model", trained.Model, "--data-dir", SharedData.Root, "--quiet");
        Assert.StartsWith("accuracy ", quiet.Out);
        Assert.Single(quiet.Out.Trim().Split('\n'));
    }

    [Fact]
    public void PredictWritesRowPredictedLabelAndAScorePerDigit()
    {
        var output = Tmp("engine.csv");
        var p = CliRunner.Run("predict", "--model", trained.Model, "--input", SharedData.Mnist("t10k-images-idx3-ubyte.gz"), "--out", output, "--json");
        Assert.True(p.ExitCode == 0, p.Error);
        Assert.Equal(10_000, JsonNode.Parse(p.Out)!["rows"]!.GetValue<long>());
        var lines = File.ReadAllLines(output);
        Assert.Equal(10_001, lines.Length);
        Assert.Equal("Row,PredictedLabel," + string.Join(",", Enumerable.Range(0, 10).Select(d => $"Score_{d}")), lines[0]);
        int agree = 0;
        for (int i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            Assert.Equal((i - 1).ToString(CultureInfo.InvariantCulture), f[0]);
            var scores = f[2..].Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            // PredictedLabel is the digit of the highest score.
            if (f[1] == Array.IndexOf(scores, scores.Max()).ToString(CultureInfo.InvariantCulture)) agree++;
        }
        Assert.Equal(10_000, agree);
        Assert.Empty(Directory.GetFiles(trained.Dir, ".engine.csv*"));
    }

    [Fact]
    public void PredictAgreesWithEvaluateOnTheTestSet()
    {
        var output = Tmp("test-split.csv");
        Assert.Equal(0, CliRunner.Run("predict", "--model", trained.Model, "--data", "mnist", "--split", "test", "--data-dir", SharedData.Root, "--out", output, "--quiet").ExitCode);
        var labels = ReadIdxLabels(SharedData.Mnist("t10k-labels-idx1-ubyte.gz"));
        var predicted = File.ReadLines(output).Skip(1).Select(l => int.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        double accuracy = predicted.Zip(labels).Count(x => x.First == x.Second) / (double)labels.Length;
        var doc = JsonNode.Parse(CliRunner.Run("evaluate", "--model", trained.Model, "--data-dir", SharedData.Root, "--json").Out)!;
        Assert.Equal(doc["microAccuracy"]!.GetValue<double>(), accuracy, 6);
    }

    [Fact]
    public void PredictReadsCsvFeatures()
    {
        var csv = Tmp("rows.csv");
        File.WriteAllLines(csv, [string.Join(",", Enumerable.Repeat("0", 784)), string.Join(",", Enumerable.Repeat("0.5", 784))]);
        var r = CliRunner.Run("predict", "--model", trained.Model, "--input", csv, "--out", Tmp("csv-pred.csv"), "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(2, JsonNode.Parse(r.Out)!["rows"]!.GetValue<long>());
        Assert.Equal(3, File.ReadAllLines(Tmp("csv-pred.csv")).Length);
    }

    [Fact]
    public void PredictWithTheWrongFeatureCountFailsNamingItAndWritesNothing()
    {
        var csv = Tmp("short.csv");
        File.WriteAllLines(csv, ["1,2,3"]);
        var output = Tmp("never.csv");
        var r = CliRunner.Run("predict", "--model", trained.Model, "--input", csv, "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("784", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(trained.Dir, ".never.csv*"));
    }

    [Fact]
    public void PredictWithANonNumericCsvCellIsABadInputNamingTheCellAndWritesNothing()
    {
        var csv = Tmp("text.csv");
        var good = string.Join(',', Enumerable.Repeat("0", 784));
        File.WriteAllLines(csv, [good, good, string.Join(',', Enumerable.Repeat("0", 783).Append("seven"))]);
        var output = Tmp("text-out.csv");
        var r = CliRunner.Run("predict", "--model", trained.Model, "--input", csv, "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("text.csv", r.Error);
        Assert.Contains("line 3", r.Error);
        Assert.Contains("'seven'", r.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void EvaluateWithoutLabelsNamesTheMissingFlag()
    {
        var r = CliRunner.Run("evaluate", "--model", trained.Model, "--images", SharedData.Mnist("t10k-images-idx3-ubyte.gz"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--labels", r.Error);
    }

    [Fact]
    public void ExportWritesAnOnnxFileWithScoreAndPredictedLabel()
    {
        var onnx = Tmp("m.onnx");
        var r = CliRunner.Run("export", "--model", trained.Model, "--out", onnx, "--opset", "13", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var doc = JsonNode.Parse(r.Out)!;
        Assert.Equal(13, doc["opset"]!.GetValue<int>());
        Assert.Equal("Features", doc["input"]!.GetValue<string>());
        Assert.Equal([784], doc["inputShape"]!.AsArray().Select(x => x!.GetValue<int>()));
        Assert.Contains("Score", doc["outputs"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Contains("PredictedLabel", doc["outputs"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.True(new FileInfo(onnx).Length > 784 * 30 * 4, "the weights are in the file");
    }

    [Fact]
    public void ExportRejectsAnOpsetOutOfRangeBeforeReadingTheModel()
    {
        var r = CliRunner.Run("export", "--model", "no-such.zip", "--out", Tmp("x.onnx"), "--opset", "3");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--opset", r.Error);
        Assert.DoesNotContain("no-such.zip", r.Error);
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

    [Fact]
    public void PackageSaysWhatItWroteAndHowLarge()
    {
        var dir = Tmp("triton-said");
        var r = CliRunner.Run("package", "--model", trained.Model, "--triton", dir, "--name", "said");
        Assert.True(r.ExitCode == 0, r.Error);
        var model = Path.Combine(dir, "said", "1", "model.onnx");
        Assert.Contains($"{model} ({new FileInfo(model).Length:N0} bytes)", r.Out);
        Assert.Contains(Path.Combine(dir, "said", "config.pbtxt"), r.Out);
    }

    [Theory]
    [InlineData("predict", "NaN")]
    [InlineData("predict", "Infinity")]
    [InlineData("score", "NaN")]
    [InlineData("score", "-Infinity")]
    public void ANonFiniteCsvCellIsABadInputNamingTheRowAndColumnNotASilentLabel(string command, string cell)
    {
        var csv = Tmp($"{command}{cell}.csv");
        var good = string.Join(',', Enumerable.Repeat("0", 784));
        File.WriteAllLines(csv, [good, string.Join(',', Enumerable.Repeat("0", 784).Select((v, i) => i == 5 ? cell : v)), good]);
        var model = trained.Model;
        if (command == "score")
        {
            model = Tmp("nan-check.onnx");
            if (!File.Exists(model)) Assert.Equal(0, CliRunner.Run("export", "--model", trained.Model, "--out", model, "--quiet").ExitCode);
        }
        var output = Tmp($"{command}{cell}-out.csv");
        var r = CliRunner.Run(command, "--model", model, "--input", csv, "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("line 2", r.Error);
        Assert.Contains("column 6", r.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void PackageTakesAnExportedOnnxFile()
    {
        var onnx = Tmp("pkg.onnx");
        Assert.Equal(0, CliRunner.Run("export", "--model", trained.Model, "--out", onnx, "--quiet").ExitCode);
        var dir = Tmp("triton-onnx");
        var r = CliRunner.Run("package", "--model", onnx, "--triton", dir, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(File.ReadAllBytes(onnx), File.ReadAllBytes(Path.Combine(dir, "pkg", "1", "model.onnx")));
    }

    [Fact]
    public void ACorruptModelFileIsABadInputNamingTheFile()
    {
        var bad = Tmp("bad.zip");
        File.WriteAllText(bad, "not a zip");
        var r = CliRunner.Run("evaluate", "--model", bad, "--data-dir", SharedData.Root);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bad.zip", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
    }

    [Fact]
    public void AMissingModelFileIsABadInputNamingIt()
    {
        var r = CliRunner.Run("predict", "--model", Tmp("nope.zip"), "--input", SharedData.Mnist("t10k-images-idx3-ubyte.gz"), "--out", Tmp("nope.csv"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("nope.zip", r.Error);
        Assert.False(File.Exists(Tmp("nope.csv")));
    }

    private static int[] ReadIdxLabels(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray()[8..].Select(b => (int)b).ToArray();
    }
}

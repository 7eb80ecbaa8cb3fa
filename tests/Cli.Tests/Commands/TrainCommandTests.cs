using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DlBook.Cli.Commands;
using DlBook.Cli.Tests.Support;
using DlBook.TestSupport;
using DlBook.Trainers.Mlp;

namespace DlBook.Cli.Tests.Commands;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Tmp(string name) => Path.Combine(_dir, name);

    // A fast run: 1 epoch on 2,000 rows, no validation.
    private static string[] Small(params string[] more) =>
        ["train", "mlp", "--data-dir", SharedData.Root, "--epochs", "1", "--train-rows", "2000", "--validation-rows", "0", .. more];

    [Fact]
    public void DiagnoseReproducesTheOrderingOfTheBooksLearningSpeeds()
    {
        var r = CliRunner.Run("diagnose", "--sizes", "784,30,30,30,10", "--seeds", "10", "--data-dir", SharedData.Root, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var mean = JsonNode.Parse(r.Out)!["mean"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();
        double[] book = [0.01184, 0.05997, 0.28314];
        Assert.Equal(3, mean.Length);
        for (int l = 0; l + 1 < mean.Length; l++)
        {
            Assert.True(mean[l] < mean[l + 1], "earlier layers learn slower");
            double ratio = mean[l] / mean[l + 1] / (book[l] / book[l + 1]);
            Assert.InRange(ratio, 0.5, 2.0);
        }
    }

    [Fact]
    public void DiagnoseWithEpochsShowsTheSpeedsFallingDuringTraining()
    {
        var r = CliRunner.Run("diagnose", "--sizes", "784,30,30,10", "--seeds", "1", "--epochs", "3", "--data-dir", SharedData.Root, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var curve = JsonNode.Parse(r.Out)!["curve"]!.AsArray();
        Assert.Equal(4, curve.Count); // initialisation and after each of 3 epochs
        Assert.True(curve[3]![0]!.GetValue<double>() < curve[0]![0]!.GetValue<double>());
    }

    [Theory]
    [InlineData("--seeds", "0")]
    [InlineData("--samples", "0")]
    [InlineData("--epochs", "-1")]
    [InlineData("--sizes", "784,10")]
    [InlineData("--sizes", "100,30,10")]
    public void DiagnoseRejectsABadValueNamingTheFlag(string flag, string value)
    {
        var r = CliRunner.Run("diagnose", flag, value, "--data-dir", SharedData.Root);
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"dlbook: {flag} ", r.Error);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void TooFewRowsForTheSplitIsABadInput()
    {
        var r = CliRunner.Run("train", "mlp", "--data", "mnist", "--split", "test", "--data-dir", SharedData.Root, "--out", Tmp("few.zip"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--train-rows", r.Error);
        Assert.False(File.Exists(Tmp("few.zip")));
    }

    [Fact]
    public void AnUnknownOptionValueIsRejectedBeforeTraining()
    {
        var r = CliRunner.Run("train", "mlp", "--hidden", "30,x", "--data-dir", SharedData.Root);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("30,x", r.Error);
        Assert.Contains("--hidden", r.Error);
    }

    [Theory]
    [InlineData("--epochs", "-3")]
    [InlineData("--epochs", "abc")]
    [InlineData("--batch-size", "0")]
    [InlineData("--optimizer", "Foo")]
    [InlineData("--activation", "Softmax")]
    [InlineData("--cost", "Hinge")]
    [InlineData("--lr", "nan")]
    [InlineData("--l2", "-1")]
    [InlineData("--dropout", "1")]
    [InlineData("--seed", "-1")]
    [InlineData("--seed", "2147483648")]
    [InlineData("--train-rows", "0")]
    [InlineData("--hidden", "")]
    [InlineData("--split", "validation")]
    public void ABadOptionFailsNamingTheFlagBeforeAnythingIsPrintedOrWritten(string flag, string value)
    {
        var dir = Directory.CreateDirectory(Tmp("bad" + Guid.NewGuid().ToString("N"))).FullName;
        var r = CliRunner.Run("train", "mlp", flag, value, "--data-dir", SharedData.Root, "--out", Path.Combine(dir, "m.zip"));
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"dlbook: {flag} ", r.Error);
        Assert.DoesNotContain("System.", r.Error);
        Assert.Equal("", r.Out);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void WithoutAPresetTheDefaultNetworkIsTheBooksPresetIncludingL2()
    {
        var json = new JsonSerializerOptions { Converters = { new JsonStringEnumConverter() } };
        var book = MlpPreset.Load(Path.Combine(SharedData.RepoRoot, "models", "book-mlp.json"));
        Assert.Equal(JsonSerializer.Serialize(book, json), JsonSerializer.Serialize(TrainCommand.BookOptions(), json));
        Assert.Equal(5.0f, TrainCommand.BookOptions().L2);
    }

    [Fact]
    public void TrainWithoutAPresetPrintsAndUsesLambdaFive()
    {
        var r = CliRunner.Run(Small("--out", Tmp("l2.zip")));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("λ 5,", r.Out);
        var j = CliRunner.Run(Small("--out", Tmp("l2j.zip"), "--json"));
        var options = JsonNode.Parse(j.Out)!["options"]!;
        Assert.Equal(5.0, options["L2"]!.GetValue<double>());
        Assert.Equal(0.1, options["LearningRate"]!.GetValue<double>(), 6);
        Assert.Equal(10, options["BatchSize"]!.GetValue<int>());
        // An explicit --l2 wins and is the one printed.
        var zero = CliRunner.Run(Small("--out", Tmp("l0.zip"), "--l2", "0"));
        Assert.Contains("λ 0,", zero.Out);
    }

    [Fact]
    public void ThePrintedSeedReproducesTheRun()
    {
        var first = CliRunner.Run(Small("--out", Tmp("s1.zip"), "--json"));
        Assert.True(first.ExitCode == 0, first.Error);
        var doc = JsonNode.Parse(first.Out)!;
        int seed = doc["seed"]!.GetValue<int>();
        Assert.Equal(1, seed); // the default, printed like any other
        var again = JsonNode.Parse(CliRunner.Run(Small("--out", Tmp("s2.zip"), "--json", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture))).Out)!;
        Assert.Equal(seed, again["seed"]!.GetValue<int>());
        Assert.Equal(doc["epochs"]![0]!["trainLoss"]!.GetValue<double>(), again["epochs"]![0]!["trainLoss"]!.GetValue<double>());
        Assert.Equal(doc["epochs"]![0]!["trainAccuracy"]!.GetValue<double>(), again["epochs"]![0]!["trainAccuracy"]!.GetValue<double>());
    }

    [Fact]
    public void TheLargestSeedIsAcceptedPrintedAndReproduces()
    {
        var r = CliRunner.Run(Small("--out", Tmp("max.zip"), "--seed", "2147483647"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("seed 2147483647", r.Out);
        var a = JsonNode.Parse(CliRunner.Run(Small("--out", Tmp("max1.zip"), "--seed", "2147483647", "--json")).Out)!;
        var b = JsonNode.Parse(CliRunner.Run(Small("--out", Tmp("max2.zip"), "--seed", "2147483647", "--json")).Out)!;
        var other = JsonNode.Parse(CliRunner.Run(Small("--out", Tmp("max3.zip"), "--seed", "2147483646", "--json")).Out)!;
        Assert.Equal(a["epochs"]![0]!["trainLoss"]!.GetValue<double>(), b["epochs"]![0]!["trainLoss"]!.GetValue<double>());
        Assert.NotEqual(a["epochs"]![0]!["trainLoss"]!.GetValue<double>(), other["epochs"]![0]!["trainLoss"]!.GetValue<double>());
    }

    [Fact]
    public void TwoRunsInOneFolderKeepTheirOwnReports()
    {
        Assert.Equal(0, CliRunner.Run(Small("--out", Tmp("first.zip"), "--seed", "1", "--quiet")).ExitCode);
        Assert.Equal(0, CliRunner.Run(Small("--out", Tmp("second.zip"), "--seed", "2", "--quiet")).ExitCode);
        foreach (var file in new[] { "history.csv", "history.json", "gradients.csv", "gradients.json" })
            Assert.NotEqual(File.ReadAllText(Tmp("first." + file)), File.ReadAllText(Tmp("second." + file)));
        Assert.False(File.Exists(Tmp("history.csv")));
    }

    [Fact]
    public void OneEpochIsSingular()
    {
        var r = CliRunner.Run(Small("--out", Tmp("one.zip")));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("trained 1 epoch in", r.Out);
        Assert.DoesNotContain("1 epochs", r.Out + r.Error);
    }

    [Fact]
    public void HiddenNoneTrainsASingleLayerNetwork()
    {
        var r = CliRunner.Run(Small("--out", Tmp("none.zip"), "--hidden", "none"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("[784,10]", r.Out);
    }

    [Fact]
    public void HelpShowsNoMisleadingDefaultsAndOnlyHiddenActivations()
    {
        var r = CliRunner.Run("train", "mlp", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("[default: test]", r.Out);
        var activation = r.Out.Split('\n').Single(l => l.TrimStart().StartsWith("--activation", StringComparison.Ordinal));
        Assert.Contains("Sigmoid|Tanh|Relu|LeakyRelu|Elu", activation);
        Assert.DoesNotContain("Softmax", activation);
        Assert.DoesNotContain("Identity", activation);
        Assert.Contains("model.zip", r.Out);
    }

    [Fact]
    public void AMissingPresetNamesTheFile()
    {
        var r = CliRunner.Run("train", "mlp", "--preset", "no-such-preset.json");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no-such-preset.json", r.Error);
    }

    [Fact]
    public void APresetVariantTrainsItsNetwork()
    {
        var r = CliRunner.Run(Small("--preset", Path.Combine(SharedData.RepoRoot, "models", "book-mlp.json"), "--variant", "784-30-30-10",
            "--out", Tmp("variant.zip"), "--monitor-gradients", "false"));
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("[784,30,30,10]", r.Out);
    }

    [Fact]
    public void TrainingWithAnEtaThatDivergesExitsWithTheDivergedCode()
    {
        var r = CliRunner.Run(Small("--activation", "Relu", "--cost", "SoftmaxCrossEntropy", "--init", "StandardNormal", "--lr", "1e30",
            "--monitor-gradients", "false", "--out", Tmp("diverged.zip")));
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("epoch 1", r.Error);
        Assert.Contains("--lr", r.Error);
        Assert.Contains("--clip-norm", r.Error);
        Assert.DoesNotContain("GradientClipNorm", r.Error);
        Assert.False(File.Exists(Tmp("diverged.zip")));
    }
}

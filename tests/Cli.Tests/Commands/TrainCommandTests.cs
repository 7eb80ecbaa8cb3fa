using System.Text.Json.Nodes;
using DlBook.Cli.Tests.Support;
using DlBook.TestSupport;

namespace DlBook.Cli.Tests.Commands;

public sealed class TrainCommandTests
{
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
    public void TooFewRowsForTheSplitIsABadInput()
    {
        var r = CliRunner.Run("train", "mlp", "--data", "mnist", "--split", "test", "--data-dir", SharedData.Root, "--out", Path.GetTempFileName());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--train-rows", r.Error);
    }

    [Fact]
    public void AnUnknownOptionValueIsRejectedBeforeTraining()
    {
        var r = CliRunner.Run("train", "mlp", "--hidden", "30,x", "--data-dir", SharedData.Root);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("30,x", r.Error);
    }

    [Fact]
    public void AMissingPresetNamesTheFile()
    {
        var r = CliRunner.Run("train", "mlp", "--preset", "no-such-preset.json");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no-such-preset.json", r.Error);
    }

    [Fact]
    public void TrainingWithAnEtaThatDivergesExitsWithTheDivergedCode()
    {
        var r = CliRunner.Run("train", "mlp", "--data-dir", SharedData.Root, "--activation", "Relu", "--cost", "SoftmaxCrossEntropy",
            "--init", "StandardNormal", "--lr", "1e30", "--epochs", "1", "--train-rows", "2000", "--validation-rows", "0",
            "--monitor-gradients", "false", "--out", Path.Combine(Path.GetTempPath(), "diverged.dlbook"));
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("epoch", r.Error, StringComparison.OrdinalIgnoreCase);
    }
}

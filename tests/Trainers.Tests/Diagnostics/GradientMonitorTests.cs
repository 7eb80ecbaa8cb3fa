using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Pipelines.Core;
using DlBook.Trainers.Mlp;

namespace DlBook.Trainers.Tests.Diagnostics;

/// <summary>Chapter 34's learning speeds through the trainer: the report files, the book's ordering, and the warnings.</summary>
public sealed class GradientMonitorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-grad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MlpOptions Monitored(int[] hidden, int epochs) => new()
    {
        HiddenLayers = hidden, Epochs = epochs, BatchSize = 10, LearningRate = 0.1f, Seed = 3,
        MonitorGradients = true, GradientMonitorSamples = 500,
    };

    private static List<string> Warnings(DlContext ctx)
    {
        var warnings = new List<string>();
        ctx.Log += (_, e) => { if (e.Level == LogLevel.Warning) warnings.Add(e.Message); };
        return warnings;
    }

    [Fact]
    public void TheReportHoldsOneRowPerDenseLayerAtInitialisationAndAfterEachEpoch()
    {
        var options = Monitored([30, 30, 30], epochs: 2);
        options.ReportDirectory = Path.Combine(_dir, "deep");
        var model = new DlContext(seed: 1).Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 1_000));
        var history = model.History!;

        // 3 hidden + 1 output Dense layers × (initialisation + 2 epochs).
        var csv = File.ReadAllLines(Path.Combine(options.ReportDirectory, "gradients.csv"));
        Assert.Equal("epoch,layer,index,hidden,bias_gradient_norm,weight_gradient_norm", csv[0]);
        Assert.Equal(1 + 4 * 3, csv.Length);
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], rows.Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)));
        Assert.Equal(["dense1", "dense2", "dense3", "dense4"], rows.Take(4).Select(r => r[1]));
        Assert.Equal(["true", "true", "true", "false"], rows.Take(4).Select(r => r[3]));
        Assert.All(rows, r =>
        {
            Assert.True(double.Parse(r[4], CultureInfo.InvariantCulture) > 0);
            Assert.True(double.Parse(r[5], CultureInfo.InvariantCulture) > 0);
        });
        // The CSV holds exactly the history's numbers.
        var init = history.InitialLearningSpeeds!;
        Assert.Equal(init[0].BiasGradientNorm, double.Parse(rows[0][4], CultureInfo.InvariantCulture));
        Assert.Equal(history.Epochs[1].LearningSpeeds![2].WeightGradientNorm, double.Parse(rows[10][5], CultureInfo.InvariantCulture));

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(options.ReportDirectory, "gradients.json")))!.AsArray();
        Assert.Equal(12, json.Count);
        Assert.Equal("dense4", json[^1]!["layer"]!.GetValue<string>());
        Assert.False(json[^1]!["hidden"]!.GetValue<bool>());
        Assert.Equal(init[1].WeightGradientNorm, json[1]!["weightGradientNorm"]!.GetValue<double>());

        // The book's observation: in a deep sigmoid net the first hidden layer learns slowest.
        var hidden = init.Where(s => s.IsHidden).ToList();
        Assert.Equal(3, hidden.Count);
        Assert.True(hidden[0].BiasGradientNorm < hidden[1].BiasGradientNorm && hidden[1].BiasGradientNorm < hidden[2].BiasGradientNorm,
            string.Join(" < ", hidden.Select(s => s.BiasGradientNorm.ToString("G3", CultureInfo.InvariantCulture))));
        Assert.True(File.Exists(Path.Combine(options.ReportDirectory, "history.csv")));
    }

    [Fact]
    public void WithoutAReportDirectoryTheSpeedsAreOnlyInTheHistory()
    {
        var before = Directory.GetFileSystemEntries(_dir);
        var model = new DlContext(seed: 1).Trainers.Mlp(Monitored([20], epochs: 1)).Fit(MnistData.TrainRows(0, 200));
        Assert.Equal(2, model.History!.InitialLearningSpeeds!.Count);
        Assert.Equal(2, model.History.Epochs[0].LearningSpeeds!.Count);
        Assert.Equal(before, Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void MonitorGradientsOffRecordsNoSpeeds()
    {
        var options = Monitored([20], epochs: 1);
        options.MonitorGradients = false;
        var history = new DlContext(seed: 1).Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 200)).History!;
        Assert.Null(history.InitialLearningSpeeds);
        Assert.Null(history.Epochs[0].LearningSpeeds);
    }

    [Fact]
    public void ASixHiddenLayerSigmoidNetLogsAVanishingGradientWarningNamingTheFirstAndLastHiddenLayers()
    {
        var ctx = new DlContext(seed: 1);
        var warnings = Warnings(ctx);
        var options = Monitored([30, 30, 30, 30, 30, 30], epochs: 1);
        ctx.Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 300));
        var vanishing = warnings.Where(w => w.Contains("Vanishing gradient")).ToList();
        Assert.NotEmpty(vanishing);
        Assert.StartsWith("At initialisation:", vanishing[0]);
        Assert.Contains("'dense1'", vanishing[0]);
        Assert.Contains("'dense6'", vanishing[0]);
    }

    [Fact]
    public void AReluRegressionNetWithLargeInitLogsAnExplodingGradientWarningNamingALayer()
    {
        // Linear outputs in the hundreds against digit labels: ∂C/∂z is large, and N(0,1) weights amplify it layer by layer.
        var ctx = new DlContext(seed: 1);
        var warnings = Warnings(ctx);
        var options = Monitored([100, 100], epochs: 1);
        options.Task = MlpTasks.Regression;
        options.Activation = DlBook.Engine.Activations.Activation.Relu;
        options.Initializer = "StandardNormal";
        options.LearningRate = 1e-9f;
        ctx.Trainers.Mlp(options).Fit(ctx.Data.TakeRows(MnistData.RawTrain, 100));
        var exploding = warnings.Where(w => w.Contains("Exploding gradient")).ToList();
        Assert.NotEmpty(exploding);
        Assert.StartsWith("At initialisation:", exploding[0]);
        Assert.Matches("layer 'dense[1-3]'", exploding[0]);
    }

    [Fact]
    public void TheBooksShallowNetLogsNoGradientWarning()
    {
        var ctx = new DlContext(seed: 1);
        var warnings = Warnings(ctx);
        ctx.Trainers.Mlp(Monitored([30], epochs: 2)).Fit(MnistData.TrainRows(0, 1_000));
        Assert.Empty(warnings);
    }
}

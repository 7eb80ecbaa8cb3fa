using DlBook.Engine.Activations;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Trainers.Mlp;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Training;

namespace DlBook.Trainers.Tests.Mlp;

public sealed class MlpTrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-mlp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MlpOptions Small(int epochs = 1, int seed = 7) => new()
    {
        HiddenLayers = [30], Epochs = epochs, BatchSize = 10, LearningRate = 0.1f, L2 = 5f, Seed = seed, MonitorGradients = false,
    };

    private static float[][] Weights(MlpModel m) =>
        m.Layers.SelectMany(l => l.Parameters.Select(p => m.GetParameter(l.Name, p.Name).Span.ToArray())).ToArray();

    private static void AssertBitIdentical(float[][] a, float[][] b)
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i].Length, b[i].Length);
            for (int j = 0; j < a[i].Length; j++)
                Assert.True(BitConverter.SingleToInt32Bits(a[i][j]) == BitConverter.SingleToInt32Bits(b[i][j]), $"tensor {i}, element {j}: {a[i][j]} vs {b[i][j]}");
        }
    }

    [Fact]
    public void OneEpochOfTheBooksNetworkReachesOver90PercentOnTheTenThousandValidationImages()
    {
        var ctx = new DlContext(seed: 1);
        var validation = MnistData.TrainRows(50_000, 10_000);
        var options = Small(seed: 1);
        options.ValidationSet = validation;
        var model = ctx.Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 50_000));

        var last = model.History!.Last!;
        Assert.Equal(50_000, last.Samples);
        Assert.True(last.ValidationAccuracy > 0.90, $"validation accuracy {last.ValidationAccuracy:P2}");
        // The pipeline's metrics over the model's Score/PredictedLabel columns agree with the loop's own validation.
        var metrics = ctx.MulticlassClassification.Evaluate(model.Transform(validation));
        Assert.Equal(last.ValidationAccuracy!.Value, metrics.MicroAccuracy, 9);
        Assert.Equal(10, ((KeyType)model.GetOutputSchema(validation.Schema)["PredictedLabel"].Type).Count);
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeightsAndAnotherSeedDoesNot()
    {
        var data = MnistData.TrainRows(0, 5_000);
        var ctx = new DlContext(seed: 3);
        var a = Weights(ctx.Trainers.Mlp(Small(seed: 11)).Fit(data));
        var b = Weights(ctx.Trainers.Mlp(Small(seed: 11)).Fit(data));
        AssertBitIdentical(a, b);
        var c = Weights(ctx.Trainers.Mlp(Small(seed: 12)).Fit(data));
        Assert.NotEqual(a[0], c[0]);
    }

    [Fact]
    public void MulticlassWithoutAKeyLabelTellsTheUserToAddMapValueToKey()
    {
        var ctx = new DlContext(seed: 1);
        var raw = MnistData.RawTrain;
        var e = Assert.Throws<SchemaException>(() => ctx.Trainers.Mlp(Small()).Fit(raw));
        Assert.Contains("'Label'", e.Message);
        Assert.Contains("MapValueToKey", e.Message);
    }

    [Fact]
    public void HugeLearningRateDivergesWithAnExceptionNamingTheEpoch()
    {
        var ctx = new DlContext(seed: 1);
        var raw = ctx.Data.TakeRows(MnistData.RawTrain, 2_000);
        var options = Small();
        options.Task = MlpTasks.Regression;
        options.Activation = Activation.Relu;
        options.LearningRate = 1e4f;
        options.L2 = 0;
        var e = Assert.Throws<TrainingDivergedException>(() => ctx.Trainers.Mlp(options).Fit(raw));
        Assert.Equal(1, e.Epoch);
        Assert.True(e.Step >= 1 && e.Step <= 200, $"step {e.Step}");
        Assert.Contains("epoch 1", e.Message);
        Assert.Contains("Lower the learning rate", e.Message);
    }

    [Fact]
    public void EarlyStoppingStopsAfterPatienceAndRestoresTheBestEpochsWeights()
    {
        var ctx = new DlContext(seed: 1);
        var train = MnistData.TrainRows(0, 3_000);
        var options = Small(epochs: 10, seed: 5);
        options.ValidationSet = MnistData.TrainRows(50_000, 1_000);
        // No epoch can beat the first by more than 100 points, so epoch 1 stays best and training stops after 1 + patience.
        options.EarlyStoppingPatience = 2;
        options.EarlyStoppingMinDelta = 1.0;
        var stopped = ctx.Trainers.Mlp(options).Fit(train);
        Assert.Equal(3, stopped.History!.Epochs.Count);
        Assert.True(stopped.History.StoppedEarly);
        Assert.Equal(1, stopped.History.RestoredEpoch);

        var oneEpoch = ctx.Trainers.Mlp(Small(epochs: 1, seed: 5)).Fit(train);
        AssertBitIdentical(Weights(oneEpoch), Weights(stopped));
    }

    [Fact]
    public void CheckpointHoldsTheBestEpochAndTheReportIsWrittenBesideIt()
    {
        var ctx = new DlContext(seed: 1);
        var validation = MnistData.TrainRows(50_000, 1_000);
        var options = Small(epochs: 3, seed: 2);
        options.ValidationSet = validation;
        options.MonitorGradients = true;
        options.GradientMonitorSamples = 500;
        options.CheckpointPath = Path.Combine(_dir, "best.dlbook");
        var model = ctx.Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 3_000));

        var history = model.History!;
        var best = history.Epochs.MaxBy(e => e.ValidationAccuracy)!;
        var loaded = ctx.Model.Load(options.CheckpointPath, out var schema);
        Assert.Equal(MnistData.Train.Schema["Features"].Type, schema["Features"].Type);
        var metrics = ctx.MulticlassClassification.Evaluate(loaded.Transform(validation));
        Assert.Equal(best.ValidationAccuracy!.Value, metrics.MicroAccuracy, 9);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));

        // gradients.csv: a header, then 2 Dense layers × (initialisation + 3 epochs).
        var lines = File.ReadAllLines(Path.Combine(_dir, "gradients.csv"));
        Assert.Equal(1 + 2 * 4, lines.Length);
        Assert.StartsWith("0,dense1,0,true,", lines[1]);
        Assert.True(File.Exists(Path.Combine(_dir, "gradients.json")));
        Assert.Equal(1 + 3, File.ReadAllLines(Path.Combine(_dir, "history.csv")).Length);
        Assert.Equal(4, history.Epochs.Count(e => e.LearningSpeeds is { Count: 2 }) + (history.InitialLearningSpeeds?.Count == 2 ? 1 : 0));
    }
}

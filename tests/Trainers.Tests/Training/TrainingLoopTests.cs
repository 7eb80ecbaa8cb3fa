using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Engine.Activations;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Trainers.Mlp;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Training;
using DlBook.Trainers.Training.Adapters;

namespace DlBook.Trainers.Tests.Training;

/// <summary>The one training loop: batching, callbacks, progress, cancellation, bad data, and the run's report.</summary>
public sealed class TrainingLoopTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-loop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MlpOptions Small(int epochs = 1) => new()
    {
        HiddenLayers = [30], Epochs = epochs, BatchSize = 10, LearningRate = 0.1f, Seed = 7, MonitorGradients = false,
    };

    /// <summary>Reports synchronously on the training thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Recorder(Action<TrainingProgress>? onReport = null) : IProgress<TrainingProgress>
    {
        public List<TrainingProgress> Reports { get; } = [];

        public void Report(TrainingProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    private sealed class BatchCounter : ITrainingCallback
    {
        public List<(int Epoch, long Step, long Samples)> Batches { get; } = [];
        public int Starts, Epochs, Ends;

        public void OnTrainingStart(TrainingState state) => Starts++;
        public void OnBatchEnd(TrainingState state) => Batches.Add((state.Epoch, state.Step, state.SamplesDone));
        public void OnEpochEnd(TrainingState state)
        {
            Assert.NotNull(state.CurrentEpoch);
            Assert.Same(state.CurrentEpoch, state.History.Last);
            Epochs++;
        }
        public void OnTrainingEnd(TrainingState state) => Ends++;
    }

    private static TrainingSetup Setup(IDataView data, int batchSize, int epochs, params ITrainingCallback[] callbacks)
    {
        var loss = LossFactory.Create("CrossEntropy");
        var network = new Sequential(NetworkBuilder.Mlp(784, [10], 10, Activation.Sigmoid, "Normal1OverFanIn", "StandardNormal"),
            [784], loss.OutputActivation, new Rng(5));
        return new TrainingSetup
        {
            Network = network,
            Loss = loss,
            Optimizer = OptimizerFactory.Create("Sgd"),
            LearningRate = 0.1f,
            Epochs = epochs,
            BatchSize = batchSize,
            Seed = 5,
            Data = data,
            Adapter = new OneHotKeyAdapter("Features", "Label", [784], 10),
            Callbacks = callbacks,
        };
    }

    [Fact]
    public void TheLastPartialMiniBatchIsTrainedAndTheCallbacksRunInOrder()
    {
        // 1,003 rows in mini-batches of 7: 143 full batches and one of 2.
        var counter = new BatchCounter();
        var history = TrainingLoop.Run(Setup(MnistData.TrainRows(0, 1_003), batchSize: 7, epochs: 2, counter));
        Assert.Equal((1, 2, 1), (counter.Starts, counter.Epochs, counter.Ends));
        Assert.All(history.Epochs, e => Assert.Equal(1_003, e.Samples));
        Assert.Equal(2 * 144, counter.Batches.Count);
        var epoch1 = counter.Batches.Where(b => b.Epoch == 1).ToList();
        Assert.Equal(Enumerable.Range(1, 144).Select(i => (long)i), epoch1.Select(b => b.Step));
        Assert.Equal(1_001, epoch1[^2].Samples);
        Assert.Equal(1_003, epoch1[^1].Samples);
    }

    [Fact]
    public void TheMlpTrainsEveryRowWhenRowsAreNotAMultipleOfTheBatchSize()
    {
        var options = Small(epochs: 2);
        options.BatchSize = 32;
        var history = new DlContext(seed: 1).Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 1_001)).History!;
        Assert.All(history.Epochs, e => Assert.Equal(1_001, e.Samples));
        Assert.Equal([1, 2], history.Epochs.Select(e => e.Epoch));
    }

    [Fact]
    public void ProgressReportsCountSamplesUpWithinEachEpochAndEndEachEpochComplete()
    {
        var recorder = new Recorder();
        var options = Small(epochs: 3);
        options.Progress = recorder;
        options.LearningRateSchedule = "StepDecay";
        options.StepSize = 1;
        options.Gamma = 0.5f;
        new DlContext(seed: 1).Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 500));

        var reports = recorder.Reports;
        Assert.NotEmpty(reports);
        Assert.All(reports, p => Assert.Equal((3, 500L), (p.Epochs, p.SamplesPerEpoch)));
        for (int i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i].Epoch >= reports[i - 1].Epoch, "epochs go backwards");
            if (reports[i].Epoch == reports[i - 1].Epoch)
                Assert.True(reports[i].SamplesDone >= reports[i - 1].SamplesDone, "samples go backwards within an epoch");
        }
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            var last = reports.Last(p => p.Epoch == epoch);
            Assert.Equal(500, last.SamplesDone);
            Assert.Equal(0.1f * MathF.Pow(0.5f, epoch - 1), last.LearningRate, 6);
            Assert.True(double.IsFinite(last.Loss) && last.Accuracy is >= 0 and <= 1);
        }
    }

    [Fact]
    public void CancellationStopsTrainingWithOperationCanceledAndWritesNoModel()
    {
        using var cts = new CancellationTokenSource();
        var recorder = new Recorder(_ => cts.Cancel());
        var options = Small(epochs: 5);
        options.Progress = recorder;
        options.Cancellation = cts.Token;
        options.CheckpointPath = Path.Combine(_dir, "cancelled.dlbook");
        Assert.ThrowsAny<OperationCanceledException>(() => new DlContext(seed: 1).Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 1_000)));
        // The first report comes after the first mini-batch; the loop stops right there.
        Assert.Single(recorder.Reports);
        Assert.Equal((1, 10L), (recorder.Reports[0].Epoch, recorder.Reports[0].SamplesDone));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void AnAlreadyCancelledTokenTrainsNothing()
    {
        var options = Small();
        options.Cancellation = new CancellationToken(canceled: true);
        options.ReportDirectory = Path.Combine(_dir, "report");
        Assert.ThrowsAny<OperationCanceledException>(() => new DlContext(seed: 1).Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 100)));
        Assert.False(File.Exists(Path.Combine(options.ReportDirectory, "history.csv")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnEmptyTrainingViewIsAnInvalidDataError(bool monitorGradients)
    {
        var options = Small();
        options.MonitorGradients = monitorGradients;
        var e = Assert.Throws<InvalidDataException>(() => new DlContext(seed: 1).Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 0)));
        Assert.Contains("no rows", e.Message);
    }

    [Fact]
    public void AValidationSetWithTheWrongFeatureSizeIsASchemaErrorBeforeTraining()
    {
        var ctx = new DlContext(seed: 1);
        var wrong = ctx.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new SmallKeyRow { Features = new float[4], Label = (uint)(i % 10) }).ToList());
        var recorder = new Recorder();
        var options = Small();
        options.ValidationSet = wrong;
        options.Progress = recorder;
        var e = Assert.Throws<SchemaException>(() => ctx.Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 200)));
        Assert.Contains("Features", e.Message);
        Assert.Contains("784", e.Message);
        Assert.Empty(recorder.Reports);
    }

    [Fact]
    public void AValidationSetWithOtherClassesIsASchemaErrorBeforeTraining()
    {
        var ctx = new DlContext(seed: 1);
        var rows = Enumerable.Range(0, 20).Select(i => new ThreeClassRow { Features = new float[784], Label = (uint)(i % 3) }).ToList();
        var options = Small();
        options.ValidationSet = ctx.Data.LoadFromEnumerable(rows);
        var recorder = new Recorder();
        options.Progress = recorder;
        var e = Assert.Throws<SchemaException>(() => ctx.Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 200)));
        Assert.Contains("Label", e.Message);
        Assert.Empty(recorder.Reports);
    }

    [Fact]
    public void WithoutAValidationSetEarlyStoppingWatchesTheTrainingLoss()
    {
        var options = Small(epochs: 10);
        options.EarlyStoppingPatience = 1;
        options.EarlyStoppingMinDelta = 1e6; // no epoch can improve on the first by this much
        var history = new DlContext(seed: 1).Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 300)).History!;
        Assert.Equal(2, history.Epochs.Count);
        Assert.True(history.StoppedEarly);
        Assert.Equal(1, history.RestoredEpoch);
        Assert.All(history.Epochs, e => Assert.Null(e.ValidationLoss));
    }

    [Fact]
    public void WithoutAValidationSetTheCheckpointHoldsTheLastEpoch()
    {
        var ctx = new DlContext(seed: 1);
        var options = Small(epochs: 3);
        options.CheckpointPath = Path.Combine(_dir, "last.dlbook");
        var model = ctx.Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 300));
        var loaded = Assert.IsType<MlpModel>(ctx.Model.Load(options.CheckpointPath, out _));
        var x = new DlBook.Engine.Tensors.Tensor(new float[3 * 784].Select((_, i) => (i % 7) / 7f).ToArray(), [3, 784]);
        Assert.Equal(model.Predict(x).Span.ToArray(), loaded.Predict(x).Span.ToArray());
        // The report goes beside the checkpoint when no ReportDirectory is given.
        Assert.True(File.Exists(Path.Combine(_dir, "history.csv")));
    }

    [Fact]
    public void TheHistoryReportHasItsColumnsAndOneRowPerEpoch()
    {
        var options = Small(epochs: 3);
        options.ValidationSet = MnistData.TrainRows(50_000, 200);
        options.ReportDirectory = Path.Combine(_dir, "run");
        var model = new DlContext(seed: 1).Trainers.Mlp(options).Fit(MnistData.TrainRows(0, 600));

        var csv = File.ReadAllLines(Path.Combine(options.ReportDirectory, "history.csv"));
        Assert.Equal("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,samples_per_second", csv[0]);
        Assert.Equal(1 + 3, csv.Length);
        for (int e = 0; e < 3; e++)
        {
            var cells = csv[1 + e].Split(',');
            Assert.Equal(8, cells.Length);
            var record = model.History!.Epochs[e];
            Assert.Equal(e + 1, int.Parse(cells[0], CultureInfo.InvariantCulture));
            Assert.Equal(record.TrainLoss, double.Parse(cells[1], CultureInfo.InvariantCulture));
            Assert.Equal(record.ValidationAccuracy!.Value, double.Parse(cells[4], CultureInfo.InvariantCulture));
            Assert.Equal(0.1, double.Parse(cells[5], CultureInfo.InvariantCulture), 6);
        }

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(options.ReportDirectory, "history.json")))!;
        var epochs = json["epochs"]!.AsArray();
        Assert.Equal(3, epochs.Count);
        Assert.Equal([1, 2, 3], epochs.Select(e => e!["epoch"]!.GetValue<int>()));
        Assert.False(json["stoppedEarly"]!.GetValue<bool>());
        Assert.All(epochs, e => Assert.NotNull(e!["validationLoss"]));
        // No monitor, no gradient report.
        Assert.False(File.Exists(Path.Combine(options.ReportDirectory, "gradients.csv")));
    }

    [Fact]
    public void ARegressionHistoryLeavesTheAccuracyCellsEmpty()
    {
        var ctx = new DlContext(seed: 1);
        var options = Small(epochs: 2);
        options.Task = MlpTasks.Regression;
        options.ReportDirectory = Path.Combine(_dir, "reg");
        ctx.Trainers.Mlp(options).Fit(SyntheticData.Regression(ctx, 100, seed: 1));
        var row = File.ReadAllLines(Path.Combine(options.ReportDirectory, "history.csv"))[1].Split(',');
        Assert.Equal("", row[2]);
        Assert.Equal("", row[3]);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(options.ReportDirectory, "history.json")))!;
        Assert.Null(json["epochs"]![0]!["trainAccuracy"]);
    }
}

public sealed class SmallKeyRow
{
    [VectorType(4)]
    public float[] Features { get; set; } = [];
    [KeyType(10)]
    public uint Label { get; set; }
}

public sealed class ThreeClassRow
{
    [VectorType(784)]
    public float[] Features { get; set; } = [];
    [KeyType(3)]
    public uint Label { get; set; }
}

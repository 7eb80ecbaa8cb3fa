using DlBook.TestSupport;
using DlBook.Trainers.Mlp;
using DlBook.Trainers.Networks;
using DlBook.Trainers.Packaging;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Trainers.Tests.Mlp;

/// <summary>Determinism, thread safety, cancellation, logging and model files of the MLP on a 2,000-row MNIST subset.</summary>
public sealed class MlpBehaviourTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-mlp-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IDataView Mnist(MLContext ml, int rows) => ml.Data.TakeRows(ml.Data.LoadFromIdx(
        SharedData.Mnist("train-images-idx3-ubyte.gz"), SharedData.Mnist("train-labels-idx1-ubyte.gz")), rows);

    private static ITransformer Fit(MLContext ml, IDataView data, MlpOptions o) =>
        ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.Mlp(o)).Fit(data);

    private static MlpOptions Small(int? seed = null) => new() { HiddenLayers = [16], Epochs = 1, BatchSize = 10, LearningRate = 0.5f, Seed = seed, MonitorGradients = false };

    private static int[] WeightBits(ITransformer model)
    {
        var mlp = ((IEnumerable<ITransformer>)model).OfType<NetworkTransformer>().Single();
        return mlp.Model.GetParameter(mlp.Model.Layers[0].Name, "W").Span.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
    }

    [Fact]
    public void The_context_seed_decides_the_weights_and_options_seed_overrides_it()
    {
        var a = WeightBits(Fit(new MLContext(seed: 7), Mnist(new MLContext(), 2000), Small()));
        var b = WeightBits(Fit(new MLContext(seed: 7), Mnist(new MLContext(), 2000), Small()));
        var c = WeightBits(Fit(new MLContext(seed: 8), Mnist(new MLContext(), 2000), Small()));
        var d = WeightBits(Fit(new MLContext(seed: 9), Mnist(new MLContext(), 2000), Small(seed: 42)));
        var e = WeightBits(Fit(new MLContext(seed: 10), Mnist(new MLContext(), 2000), Small(seed: 42)));
        Assert.Equal(784 * 16, a.Length);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(d, e);
        Assert.NotEqual(a, d);
    }

    public sealed class Row
    {
        public float Label { get; set; }
        [VectorType(784)] public float[] Features { get; set; } = [];
    }

    public sealed class Out
    {
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    [Fact]
    public void Eight_threads_with_their_own_prediction_engines_get_the_single_threaded_bits()
    {
        var ml = new MLContext(seed: 1);
        var data = Mnist(ml, 2000);
        var model = Fit(ml, data, Small());
        var rows = ml.Data.CreateEnumerable<Row>(ml.Data.TakeRows(data, 200), reuseRowObject: false).ToList();
        var engine = ml.Model.CreatePredictionEngine<Row, Out>(model);
        var expected = rows.Select(r => engine.Predict(r).Score.Select(BitConverter.SingleToInt32Bits).ToArray()).ToList();
        var accuracy = ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy;
        var results = new List<int[]>[8];
        var accuracies = new double[8];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var own = ml.Model.CreatePredictionEngine<Row, Out>(model);
            results[t] = rows.Select(r => own.Predict(r).Score.Select(BitConverter.SingleToInt32Bits).ToArray()).ToList();
            accuracies[t] = ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy;
        });
        Assert.True(accuracy > 0.7, $"accuracy {accuracy}");
        for (int t = 0; t < 8; t++)
        {
            Assert.Equal(accuracy, accuracies[t]);
            for (int i = 0; i < rows.Count; i++) Assert.Equal(expected[i], results[t][i]);
        }
    }

    [Fact]
    public void A_cancelled_token_stops_fit_and_the_log_gets_per_epoch_lines()
    {
        var ml = new MLContext(seed: 1);
        var lines = new List<string>();
        ml.Log += (_, e) => { lock (lines) lines.Add(e.Message); };
        var o = Small();
        o.Epochs = 2;
        Fit(ml, Mnist(ml, 1000), o);
        Assert.Contains(lines, l => l.Contains("epoch 1", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(lines, l => l.Contains("epoch 2", StringComparison.OrdinalIgnoreCase));

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var c = Small();
        c.Cancellation = cts.Token;
        Assert.ThrowsAny<OperationCanceledException>(() => Fit(new MLContext(1), Mnist(ml, 1000), c));
    }

    [Theory]
    [InlineData("token")]
    [InlineData("context")]
    public void Cancelling_during_fit_stops_it_at_the_next_mini_batch_of_epoch_1(string how)
    {
        // From the progress callback of epoch 1, as an app's Cancel button would: through the options' token, or through
        // the context's CancelExecution — internal in ML.NET 6, public through the Microsoft.ML.Experimental package (not
        // served here) and called by AutoML — which the test reaches by reflection; both are honoured.
        var cancelExecution = typeof(MLContext).GetMethod("CancelExecution", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public)!;
        var ml = new MLContext(seed: 1);
        using var cts = new CancellationTokenSource();
        var progress = new List<int>();
        var o = Small();
        o.Epochs = 50;
        o.Cancellation = cts.Token;
        o.Progress = new Sync(p =>
        {
            progress.Add(p.Epoch);
            if (how == "token") cts.Cancel();
            else cancelExecution.Invoke(ml, null);
        });
        var e = Assert.ThrowsAny<OperationCanceledException>(() => Fit(ml, Mnist(ml, 1000), o));
        if (how == "context") Assert.Contains("CancelExecution", e.Message);
        Assert.Equal(1, progress.Max());
    }

    private sealed class Sync(Action<DlBook.Trainers.Training.TrainingProgress> report) : IProgress<DlBook.Trainers.Training.TrainingProgress>
    {
        public void Report(DlBook.Trainers.Training.TrainingProgress value) => report(value);
    }

    [Fact]
    public void A_model_zip_needs_RegisterDlBook_and_ModelFiles_Load_does_it()
    {
        var ml = new MLContext(seed: 1);
        var data = Mnist(ml, 1000);
        var model = Fit(ml, data, Small());
        var zip = Path.Combine(_dir, "m.zip");
        ModelFiles.Save(ml, model, data.Schema, zip);
        Assert.Equal(["m.zip"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.ThrowsAny<Exception>(() => new MLContext().Model.Load(zip, out _));
        var loaded = ModelFiles.Load(new MLContext(), zip, out _);
        var mlp = ((IEnumerable<ITransformer>)loaded).OfType<NetworkTransformer>().Single();
        Assert.Equal(WeightBits(model), WeightBits(loaded));
        Assert.Single(mlp.History!.Epochs);

        var garbage = Path.Combine(_dir, "garbage.zip");
        File.WriteAllText(garbage, "not a zip");
        var e = Assert.Throws<ModelFormatException>(() => ModelFiles.Load(new MLContext(), garbage, out _));
        Assert.Contains(garbage, e.Message);
    }
}

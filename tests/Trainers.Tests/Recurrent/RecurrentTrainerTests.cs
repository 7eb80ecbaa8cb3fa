using DlBook.Trainers.Networks;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Recurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace DlBook.Trainers.Tests.Recurrent;

/// <summary>The recurrent trainer on ML.NET's catalogs, on the synthetic tasks (short sequences: the long runs are in models/recurrent.md).</summary>
public sealed class RecurrentTrainerTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-rnn-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(RecurrentCellType.Lstm)]
    [InlineData(RecurrentCellType.Gru)]
    public void A_gated_cell_learns_the_adding_problem_at_T_20_well_below_the_constant_baseline(RecurrentCellType cell)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadAddingProblem(rows: 4_000, length: 20, seed: 1);
        var test = ml.Data.LoadAddingProblem(rows: 500, length: 20, seed: 2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = ml.Regression.Trainers.Recurrent(new RecurrentOptions { CellType = cell, HiddenSize = 32, Epochs = 12, LearningRate = 0.01f }).Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        output.WriteLine($"{cell}: test MSE {metrics.MeanSquaredError:F4} in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.InRange(metrics.MeanSquaredError, 0, 0.02);   // predicting 1 gives ≈ 0.167
    }

    [Fact]
    public void The_monitor_records_the_gradient_of_every_time_step_at_initialisation_and_after_each_epoch()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadAddingProblem(rows: 500, length: 50, seed: 3);
        RecurrentTrainer Trainer(RecurrentCellType c) => ml.Regression.Trainers.Recurrent(new RecurrentOptions { CellType = c, HiddenSize = 16, Epochs = 1, GradientMonitorSamples = 200 });
        var rnn = Trainer(RecurrentCellType.Rnn).Fit(data).History!;
        var lstm = Trainer(RecurrentCellType.Lstm).Fit(data).History!;
        foreach (var h in new[] { rnn, lstm })
        {
            Assert.Equal(50, h.InitialStepGradientNorms!.Count);
            Assert.Equal(50, h.Epochs[0].StepGradientNorms!.Count);
            Assert.All(h.InitialStepGradientNorms, n => Assert.True(double.IsFinite(n) && n >= 0));
        }
        // The last step gets the output's gradient directly; what reaches step 0 has gone back through 49 steps.
        Assert.All(new[] { rnn, lstm }, h => Assert.True(h.InitialStepGradientNorms![0] < h.InitialStepGradientNorms[^1]));
    }

    [Fact]
    public void A_memory_task_classifier_saves_and_loads_with_the_same_scores_and_its_output_evaluates_as_ml_nets_own()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadMemoryTask(rows: 1_000, length: 10, seed: 1, symbols: 4);
        var model = ml.MulticlassClassification.Trainers.Recurrent(new RecurrentOptions { CellType = RecurrentCellType.Gru, HiddenSize = 16, Epochs = 8, LearningRate = 0.01f }).Fit(data);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data));
        output.WriteLine($"memory task T=10: accuracy {metrics.MacroAccuracy:F3}");
        Assert.True(metrics.MacroAccuracy > 0.9, $"accuracy {metrics.MacroAccuracy}");
        var path = Path.Combine(_dir, "gru.zip");
        ml.Model.Save(model, data.Schema, path);
        var fresh = new MLContext(seed: 2);
        var loaded = ModelFiles.Load(fresh, path, out _);
        float[] Scores(MLContext c, ITransformer t) => c.Data.CreateEnumerable<Out>(t.Transform(data), false).SelectMany(o => o.Score).ToArray();
        Assert.Equal(Scores(ml, model), Scores(fresh, loaded));
        Assert.Equal(TrainerKind.Recurrent, ((IEnumerable<ITransformer>)new[] { loaded }).OfType<NetworkTransformer>().Concat(
            (loaded as IEnumerable<ITransformer>)?.OfType<NetworkTransformer>() ?? []).First().Trainer);
    }

    public sealed class Flat
    {
        [VectorType(10)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    public sealed class Out
    {
        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void Bad_options_and_shapes_are_errors_naming_the_option()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadAddingProblem(rows: 10, length: 5, seed: 1);
        Assert.Contains("HiddenSize", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.Recurrent(new RecurrentOptions { HiddenSize = 0 }).Fit(data)).Message);
        Assert.Contains("RnnActivation", Assert.Throws<ArgumentException>(() => ml.Regression.Trainers.Recurrent(new RecurrentOptions { CellType = RecurrentCellType.Rnn, RnnActivation = Engine.Activations.Activation.Sigmoid }).Fit(data)).Message);
        var flat = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new Flat { Features = new float[10], Label = i }));
        Assert.Contains("StepFeatures", Assert.Throws<Pipelines.Data.SchemaException>(() => ml.Regression.Trainers.Recurrent(new RecurrentOptions { StepFeatures = 3 }).Fit(flat)).Message);
        // A flat vector of T·F values is read as [T, F] with StepFeatures = F.
        Assert.NotNull(ml.Regression.Trainers.Recurrent(new RecurrentOptions { StepFeatures = 2, HiddenSize = 4, Epochs = 1 }).Fit(flat));
    }
}

/// <summary>Text through ML.NET's own transforms into the recurrent trainer: SMS spam (the shared corpus).</summary>
public sealed class RecurrentTextTests(ITestOutputHelper output)
{
    public sealed class Sms
    {
        [LoadColumn(0)] public string Label { get; set; } = "";
        [LoadColumn(1)] public string Text { get; set; } = "";
    }

    public sealed class Message
    {
        public bool Label { get; set; }
        public string Text { get; set; } = "";
    }

    public sealed class SpamPrediction
    {
        public bool PredictedLabel { get; set; }
        public float Probability { get; set; }
    }

    [Fact]
    public void An_lstm_reads_word_keys_of_any_length_from_mlnets_text_transforms_and_separates_spam_from_ham()
    {
        var ml = new MLContext(seed: 1);
        var raw = ml.Data.LoadFromTextFile<Sms>(Path.Combine(DlBook.TestSupport.SharedData.Root, "sms-spam", "SMSSpamCollection"), separatorChar: '\t', allowQuoting: false);
        var messages = ml.Data.CreateEnumerable<Sms>(raw, false).Select(m => new Message { Label = m.Label == "spam", Text = m.Text }).ToList();
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(messages.Take(2_000)), testFraction: 0.25, seed: 1);
        var pipeline = ml.Transforms.Text.NormalizeText("Text")
            .Append(ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Tokens", maximumNumberOfKeys: 5_000))
            .Append(ml.BinaryClassification.Trainers.Recurrent(new RecurrentOptions
            {
                FeatureColumnName = "Tokens", MaxSequenceLength = 40, EmbeddingDimension = 16, HiddenSize = 16, Epochs = 4, LearningRate = 0.01f,
            }));
        var model = pipeline.Fit(split.TrainSet);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        output.WriteLine($"SMS spam, 1,500 train / 500 test: accuracy {metrics.Accuracy:F3}, F1 {metrics.F1Score:F3}");
        Assert.True(metrics.Accuracy > 0.93, $"accuracy {metrics.Accuracy}");   // all-ham is 0.87
        // One message at a time, as an app scores it: the same probability as the batch transform.
        var engine = ml.Model.CreatePredictionEngine<Message, SpamPrediction>(model);
        var first = ml.Data.CreateEnumerable<Message>(split.TestSet, false).First();
        var batch = ml.Data.CreateEnumerable<SpamPrediction>(model.Transform(ml.Data.LoadFromEnumerable(new[] { first })), false).Single();
        Assert.Equal(batch.Probability, engine.Predict(first).Probability);
        // Saved and loaded, the chain gives the same probabilities.
        var path = Path.Combine(Path.GetTempPath(), $"dlbook-sms-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, split.TrainSet.Schema, path);
            var fresh = new MLContext(seed: 3);
            var loaded = ModelFiles.Load(fresh, path, out _);
            float[] P(MLContext c, ITransformer t) => c.Data.CreateEnumerable<SpamPrediction>(t.Transform(split.TestSet), false).Select(p => p.Probability).ToArray();
            Assert.Equal(P(ml, model), P(fresh, loaded));
        }
        finally { File.Delete(path); }
    }
}

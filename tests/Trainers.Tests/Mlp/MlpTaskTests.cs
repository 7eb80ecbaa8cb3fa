using DlBook.Engine.Activations;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Chains;
using DlBook.Trainers.Mlp;
using DlBook.Trainers.Packaging;

namespace DlBook.Trainers.Tests.Mlp;

/// <summary>The MLP's binary and regression tasks: network, loss, output columns, metrics and packages.</summary>
public sealed class MlpTaskTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-mlptask-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MlpOptions BinaryOptions() => new()
    {
        Task = MlpTasks.Binary, HiddenLayers = [8], Epochs = 10, BatchSize = 10, LearningRate = 0.5f, Seed = 4, MonitorGradients = false,
    };

    private static MlpOptions RegressionOptions() => new()
    {
        Task = MlpTasks.Regression, HiddenLayers = [20], Activation = Activation.Tanh, Optimizer = "Adam", LearningRate = 0.01f,
        Epochs = 20, BatchSize = 20, BiasInitializer = "Zeros", Seed = 4, MonitorGradients = false,
    };

    [Fact]
    public void BinaryOnABooleanLabelHasOneSigmoidOutputAndScoresAsAProbability()
    {
        var ctx = new DlContext(seed: 1);
        var train = SyntheticData.Binary(ctx, 1_000, seed: 1);
        var test = SyntheticData.Binary(ctx, 500, seed: 2);
        var model = ctx.Trainers.Mlp(BinaryOptions()).Fit(train);

        Assert.Equal(MlpTasks.Binary, model.Task);
        Assert.Equal(Activation.Sigmoid, model.OutputActivation);
        Assert.Equal("CrossEntropy", model.LossName);
        Assert.Equal("1", model.Layers[^1].Settings["units"]);
        Assert.True(model.History!.Last!.TrainAccuracy > 0.9, $"train accuracy {model.History.Last.TrainAccuracy:P2}");

        var scored = model.Transform(test);
        Assert.IsType<ScalarType>(scored.Schema["Score"].Type);
        Assert.Equal(2, Assert.IsType<KeyType>(scored.Schema["PredictedLabel"].Type).Count);
        foreach (var b in scored.GetBatches(new BatchOptions { BatchSize = 100, Columns = ["Score", "PredictedLabel"] }))
        {
            var s = b.Get<FloatColumnData>("Score");
            var k = b.Get<KeyColumnData>("PredictedLabel");
            for (int r = 0; r < b.RowCount; r++)
            {
                Assert.InRange(s.Values[r], 0f, 1f);
                Assert.Equal(s.Values[r] > 0.5f ? 1u : 0u, k.Keys[r]);
            }
        }
        var metrics = ctx.BinaryClassification.Evaluate(scored);
        Assert.True(metrics.Accuracy > 0.9, $"test accuracy {metrics.Accuracy:P2}");
        Assert.True(metrics.AreaUnderRocCurve > 0.95, $"AUC {metrics.AreaUnderRocCurve:F3}");
    }

    [Fact]
    public void BinaryOnATwoClassKeyLabelKeepsTheLabelNames()
    {
        var ctx = new DlContext(seed: 1);
        var rng = new Random(5);
        var rows = Enumerable.Range(0, 600).Select(_ => new float[] { (float)rng.NextDouble() * 2 - 1, (float)rng.NextDouble() * 2 - 1, 0, 0 })
            .Select(x => new StringLabelRow { Features = x, Label = SyntheticData.Side(x) ? "yes" : "no" }).ToList();
        var raw = ctx.Data.LoadFromEnumerable(rows);
        var chain = ctx.Transforms.Conversion.MapValueToKey("Label").Append(ctx.Trainers.Mlp(BinaryOptions())).Fit(raw);
        var mlp = chain.LastTransformer!;
        Assert.Equal(MlpTasks.Binary, mlp.Task);
        Assert.Equal(2, mlp.LabelNames!.Count);
        var scored = chain.Transform(raw);
        var predicted = Assert.IsType<KeyType>(scored.Schema["PredictedLabel"].Type);
        Assert.Equal(mlp.LabelNames, predicted.LabelNames);
        Assert.True(ctx.BinaryClassification.Evaluate(scored).Accuracy > 0.9);
    }

    [Fact]
    public void BinaryRejectsAThreeClassKeyAndALabelOutsideZeroOne()
    {
        var ctx = new DlContext(seed: 1);
        var e = Assert.Throws<SchemaException>(() => ctx.Trainers.Mlp(BinaryOptions()).Fit(MnistData.TrainRows(0, 100)));
        Assert.Contains("binary classification", e.Message);

        var bad = ctx.Data.LoadFromEnumerable(new[] { new FloatRow { Features = [0, 0, 0, 0], Label = 0 }, new FloatRow { Features = [1, 1, 1, 1], Label = 2 } });
        var e2 = Assert.Throws<InvalidDataException>(() => ctx.Trainers.Mlp(BinaryOptions()).Fit(bad));
        Assert.Contains("'Label'", e2.Message);
        Assert.Contains("0 or 1", e2.Message);
    }

    [Fact]
    public void RegressionFitsASmoothFunctionWithALinearOutputAndNoPredictedLabel()
    {
        var ctx = new DlContext(seed: 1);
        var train = SyntheticData.Regression(ctx, 1_000, seed: 1);
        var test = SyntheticData.Regression(ctx, 500, seed: 2);
        var model = ctx.Trainers.Mlp(RegressionOptions()).Fit(train);

        Assert.Equal(MlpTasks.Regression, model.Task);
        Assert.Equal(Activation.Identity, model.OutputActivation);
        Assert.Equal("QuadraticIdentity", model.LossName);
        Assert.Null(model.PredictedLabelColumnName);
        Assert.Null(model.LabelNames);
        Assert.True(double.IsNaN(model.History!.Last!.TrainAccuracy));
        Assert.True(model.History.Last.TrainLoss < model.History.Epochs[0].TrainLoss);

        var scored = model.Transform(test);
        Assert.IsType<ScalarType>(scored.Schema["Score"].Type);
        Assert.Null(scored.Schema.GetColumnOrNull("PredictedLabel"));
        var metrics = ctx.Regression.Evaluate(scored);
        Assert.True(metrics.RSquared > 0.9, $"R² {metrics.RSquared:F3}");
    }

    [Fact]
    public void RegressionWithTheQuadraticCostStillHasALinearOutput()
    {
        // A regression MLP has "one linear output" whatever quadratic cost is named; a sigmoid would cap every prediction at 1.
        var ctx = new DlContext(seed: 1);
        var rows = Enumerable.Range(0, 400).Select(i => new FloatRow { Features = [i / 400f, 0, 0, 0], Label = 10f * i / 400f + 5f }).ToList();
        var options = RegressionOptions();
        options.Cost = "Quadratic";
        options.Epochs = 40;
        options.LearningRate = 0.05f;
        var model = ctx.Trainers.Mlp(options).Fit(ctx.Data.LoadFromEnumerable(rows));
        Assert.Equal(Activation.Identity, model.OutputActivation);
        var metrics = ctx.Regression.Evaluate(model.Transform(ctx.Data.LoadFromEnumerable(rows)));
        Assert.True(metrics.RSquared > 0.95, $"R² {metrics.RSquared:F3}");
    }

    [Fact]
    public void ScoringDataWithAnotherFeatureSizeIsASchemaError()
    {
        var ctx = new DlContext(seed: 1);
        var options = RegressionOptions();
        options.Epochs = 1;
        var model = ctx.Trainers.Mlp(options).Fit(SyntheticData.Regression(ctx, 50, seed: 1));
        var e = Assert.Throws<SchemaException>(() => model.Transform(MnistData.RawTrain));
        Assert.Contains("'Features'", e.Message);
        Assert.Contains("[4]", e.Message);
    }

    [Fact]
    public void ASoftmaxCostForASingleOutputTaskIsRefused()
    {
        var ctx = new DlContext(seed: 1);
        var options = BinaryOptions();
        options.Cost = "SoftmaxCrossEntropy";
        var e = Assert.Throws<ArgumentException>(() => ctx.Trainers.Mlp(options).Fit(SyntheticData.Binary(ctx, 50, seed: 1)));
        Assert.Contains("SoftmaxCrossEntropy", e.Message);
    }

    [Fact]
    public void RegressionLabelMustBeAScalar()
    {
        var ctx = new DlContext(seed: 1);
        var e = Assert.Throws<SchemaException>(() => ctx.Trainers.Mlp(RegressionOptions()).Fit(MnistData.TrainRows(0, 100)));
        Assert.Contains("regression needs a scalar", e.Message);
    }

    [Fact]
    public void BinaryAndRegressionModelsRoundTripThroughThePackage()
    {
        var ctx = new DlContext(seed: 1);
        foreach (var (options, data) in new[]
        {
            (BinaryOptions(), SyntheticData.Binary(ctx, 300, seed: 3)),
            (RegressionOptions(), SyntheticData.Regression(ctx, 300, seed: 3)),
        })
        {
            options.Epochs = 2;
            var model = ctx.Trainers.Mlp(options).Fit(data);
            var path = Path.Combine(_dir, $"{options.Task}.dlbook");
            ctx.Model.Save(model, data.Schema, path);
            var loaded = Assert.IsType<MlpModel>(ctx.Model.Load(path, out _));
            Assert.Equal(model.Task, loaded.Task);
            Assert.Equal(model.OutputActivation, loaded.OutputActivation);
            Assert.Equal(model.PredictedLabelColumnName, loaded.PredictedLabelColumnName);
            Assert.Equal(Scores(model, data), Scores(loaded, data));
            var manifest = ModelPackage.ReadManifest(path);
            Assert.Equal(options.Task, manifest["steps"]![0]!["settings"]!["task"]!.GetValue<string>());
            Assert.Equal(2, manifest["training"]!["metrics"]!["epochs"]!.GetValue<int>());
        }
    }

    [Fact]
    public void AChainWithANormaliserKeyMappingAndABinaryMlpSavesAndLoadsAsAChain()
    {
        var ctx = new DlContext(seed: 1);
        var rng = new Random(8);
        // Features on very different scales; the normaliser makes them trainable.
        var rows = Enumerable.Range(0, 500).Select(_ => new float[] { (float)rng.NextDouble() * 2 - 1, (float)rng.NextDouble() * 2 - 1, (float)rng.NextDouble() * 2 - 1, 0 })
            .Select(x => new StringLabelRow { Features = [100 * x[0] + 50, x[1] / 100, x[2], 7], Label = SyntheticData.Side(x) ? "yes" : "no" }).ToList();
        var raw = ctx.Data.LoadFromEnumerable(rows);
        var chain = ctx.Transforms.NormalizeMeanVariance("Features")
            .Append(ctx.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ctx.Trainers.Mlp(BinaryOptions()))
            .Fit(raw);
        var path = Path.Combine(_dir, "chain.dlbook");
        ctx.Model.Save(chain, raw.Schema, path);

        var loaded = Assert.IsAssignableFrom<ITransformerChain>(ctx.Model.Load(path, out var schema));
        Assert.Equal(3, loaded.Transformers.Count);
        Assert.IsAssignableFrom<IPersistableTransformer>(loaded.Transformers[0]);
        var mlp = Assert.IsType<MlpModel>(loaded.Transformers[2]);
        Assert.Equal(chain.LastTransformer!.LabelNames, mlp.LabelNames);
        Assert.Equal(["Features", "Label"], schema.Select(c => c.Name));
        Assert.Equal(Scores(chain, raw), Scores(loaded, raw));
        Assert.True(ctx.BinaryClassification.Evaluate(loaded.Transform(raw)).Accuracy > 0.9);

        var manifest = ModelPackage.ReadManifest(path);
        var steps = manifest["steps"]!.AsArray();
        Assert.Equal("Mlp", steps[2]!["kind"]!.GetValue<string>());
        Assert.Equal(mlp.LabelNames, steps[2]!["settings"]!["labelNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        var training = manifest["training"]!;
        Assert.Equal(MlpTasks.Binary, training["options"]!["Task"]!.GetValue<string>());
        Assert.Equal(4UL, training["seed"]!.GetValue<ulong>());
        Assert.Equal(500L, training["trainingRows"]!.GetValue<long>());
        Assert.Equal(chain.LastTransformer.History!.Last!.TrainLoss, training["metrics"]!["trainLoss"]!.GetValue<double>());
        Assert.Equal(10, training["history"]!["epochs"]!.AsArray().Count);
    }

    private static float[] Scores(ITransformer model, IDataView data) =>
        model.Transform(data).GetBatches(new BatchOptions { BatchSize = 128, Columns = ["Score"] })
            .SelectMany(b => b.Get<FloatColumnData>("Score").Values.Take(b.RowCount)).ToArray();
}

public sealed class StringLabelRow
{
    [VectorType(4)]
    public float[] Features { get; set; } = [];
    public string Label { get; set; } = "";
}

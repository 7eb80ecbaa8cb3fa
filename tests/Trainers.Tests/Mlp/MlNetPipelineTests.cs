using DlBook.Trainers.Mlp;
using DlBook.Trainers.Networks;
using DlBook.TestSupport;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Trainers.Tests.Mlp;

/// <summary>
/// The MLP in a user's ML.NET program, using only ML.NET's API and our catalog extension: MNIST from a CSV file,
/// ML.NET's key mapping, concatenation and normalisation, then evaluation, prediction engines, cross-validation,
/// permutation feature importance and model zips.
/// </summary>
public sealed class MlNetPipelineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-mlnet-").FullName;
    private readonly string _trainCsv, _testCsv;

    public MlNetPipelineTests()
    {
        _trainCsv = Path.Combine(_dir, "train.csv");
        _testCsv = Path.Combine(_dir, "test.csv");
        MnistCsv.Write(_trainCsv, 0, 3000);
        MnistCsv.Write(_testCsv, 50000, 1000);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IEstimator<ITransformer> Pipeline(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", "Pixels"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(new MlpOptions { HiddenLayers = [30], Epochs = 3, BatchSize = 10, LearningRate = 0.5f }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

    public sealed class Digit
    {
        public float Label { get; set; }
        [VectorType(784)] public float[] Pixels { get; set; } = [];
    }

    public sealed class Prediction
    {
        public float PredictedLabel { get; set; }
        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void Csv_pipeline_evaluates_predicts_and_round_trips_through_a_model_zip()
    {
        var ml = new MLContext(seed: 1);
        var train = MnistCsv.Load(ml, _trainCsv);
        var test = MnistCsv.Load(ml, _testCsv);
        var model = Pipeline(ml).Fit(train);
        var scored = model.Transform(test);

        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.80, $"accuracy {metrics.MicroAccuracy}");
        Assert.True(metrics.LogLoss < 1.0, $"log-loss {metrics.LogLoss}");

        // PredictionEngine agrees with Transform, bit for bit, on the first rows.
        var engine = ml.Model.CreatePredictionEngine<Digit, Prediction>(model);
        var rows = ml.Data.CreateEnumerable<Digit>(test, reuseRowObject: false).Take(20).ToList();
        var batch = ml.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false).Take(20).ToList();
        for (int i = 0; i < rows.Count; i++)
        {
            var p = engine.Predict(rows[i]);
            Assert.Equal(batch[i].PredictedLabel, p.PredictedLabel);
            Assert.Equal(batch[i].Score.Select(BitConverter.SingleToInt32Bits), p.Score.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(10, p.Score.Length);
        }

        // Model zip round trip in a fresh context: the same bits.
        var zip = Path.Combine(_dir, "model.zip");
        ml.Model.Save(model, train.Schema, zip);
        var fresh = new MLContext().RegisterDlBook();
        var loaded = fresh.Model.Load(zip, out var schema);
        Assert.Equal("Pixels", schema["Pixels"].Name);
        var again = fresh.Data.CreateEnumerable<Prediction>(loaded.Transform(MnistCsv.Load(fresh, _testCsv)), reuseRowObject: false).Take(20).ToList();
        for (int i = 0; i < again.Count; i++)
            Assert.Equal(batch[i].Score.Select(BitConverter.SingleToInt32Bits), again[i].Score.Select(BitConverter.SingleToInt32Bits));

        // And in a child process, as another app loads it: every test row's label and Score bits are the same.
        var dll = ChildApp.Build(LoadProbe, Path.Combine(_dir, "probe"));
        var (exit, output) = ChildApp.Exec(dll, _dir, zip, _testCsv);
        Assert.True(exit == 0, output);
        var expected = ml.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false)
            .Select(p => $"{p.PredictedLabel.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{string.Join(",", p.Score.Select(v => BitConverter.SingleToInt32Bits(v).ToString("x8")))}").ToList();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(expected.Count, lines.Length);
        Assert.Equal(expected, lines);
    }

    /// <summary>The child app: Model.Load of the zip in a fresh process, the CSV transformed, label and Score bits printed per row.</summary>
    private const string LoadProbe = """
        using System.Globalization;
        using Microsoft.ML;
        using Microsoft.ML.Data;
        var ml = new MLContext().RegisterDlBook();
        var model = ml.Model.Load(args[0], out _);
        var data = ml.Data.LoadFromTextFile(args[1],
            [new TextLoader.Column("Label", DataKind.Single, 0), new TextLoader.Column("Pixels", DataKind.Single, 1, 784)], separatorChar: ',');
        foreach (var p in ml.Data.CreateEnumerable<Prediction>(model.Transform(data), reuseRowObject: false))
            Console.WriteLine($"{p.PredictedLabel.ToString(CultureInfo.InvariantCulture)}|{string.Join(",", p.Score.Select(v => BitConverter.SingleToInt32Bits(v).ToString("x8")))}");
        class Prediction { public float PredictedLabel { get; set; } public float[] Score { get; set; } = []; }
        """;

    [Fact]
    public void Cross_validation_and_permutation_feature_importance_run_on_the_mlp()
    {
        var ml = new MLContext(seed: 2);
        var data = MnistCsv.Load(ml, _trainCsv);
        var folds = ml.MulticlassClassification.CrossValidate(data, Pipeline(ml), numberOfFolds: 3);
        Assert.Equal(3, folds.Count);
        Assert.All(folds, f => Assert.True(f.Metrics.MicroAccuracy > 0.70, $"fold accuracy {f.Metrics.MicroAccuracy}"));

        var model = ((IEnumerable<ITransformer>)Pipeline(ml).Fit(data)).ToList();
        var mlp = (ISingleFeaturePredictionTransformer<NetworkModelParameters>)model[^2];
        var prefix = new TransformerChain<ITransformer>(model.Take(model.Count - 2).ToArray());
        var sample = prefix.Transform(ml.Data.TakeRows(MnistCsv.Load(ml, _testCsv), 100));
        var importance = ml.MulticlassClassification.PermutationFeatureImportance(mlp, sample, permutationCount: 1);
        Assert.Equal(784, importance.Length);
    }
}

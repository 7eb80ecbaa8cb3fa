using DlBook.Pipelines.Data;
using DlBook.TestSupport;
using DlBook.Trainers.Mlp;
using DlBook.Trainers.Networks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DlBook.Trainers.Tests.Mlp;

/// <summary>What the MLP reads: any ML.NET view, held in memory or streamed, with typed errors for columns that do not fit.</summary>
public sealed class MlpDataTests
{
    private static IDataView Mnist(MLContext ml, int rows) => ml.Transforms.Conversion
        .MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
        .Fit(ml.Data.TakeRows(ml.Data.LoadFromIdx(SharedData.Mnist("train-images-idx3-ubyte.gz"), SharedData.Mnist("train-labels-idx1-ubyte.gz")), rows))
        .Transform(ml.Data.TakeRows(ml.Data.LoadFromIdx(SharedData.Mnist("train-images-idx3-ubyte.gz"), SharedData.Mnist("train-labels-idx1-ubyte.gz")), rows));

    private static MlpOptions Small(long budget = DlBook.Pipelines.Bridge.TrainingRows.DefaultMemoryBudget) =>
        new() { HiddenLayers = [16], Epochs = 2, BatchSize = 10, LearningRate = 0.5f, Seed = 3, MonitorGradients = false, MemoryBudgetBytes = budget };

    private static float[] Weights(NetworkTransformer t) => t.Model.GetParameter("dense1", "W").Span.ToArray();

    [Fact]
    public void Data_larger_than_the_memory_budget_is_streamed_in_chunks_and_trains_on_every_row_deterministically()
    {
        var ml = new MLContext(seed: 1);
        var data = Mnist(ml, 1_000);
        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Source.StartsWith("Mlp", StringComparison.Ordinal)) lock (log) log.Add(e.RawMessage); };
        long budget = 300 * (784 * 4 + 4);                     // 300 rows a chunk: four chunks
        var a = ml.MulticlassClassification.Trainers.Mlp(Small(budget)).Fit(data);
        var b = ml.MulticlassClassification.Trainers.Mlp(Small(budget)).Fit(data);
        Assert.Contains(log, l => l.Contains("streamed in chunks of 300"));
        Assert.All(a.History!.Epochs, e => Assert.Equal(1_000, e.Samples));
        Assert.Equal(Weights(a), Weights(b));
        var inMemory = ml.MulticlassClassification.Trainers.Mlp(Small()).Fit(data);
        Assert.All(inMemory.History!.Epochs, e => Assert.Equal(1_000, e.Samples));
        Assert.NotEqual(Weights(a), Weights(inMemory));       // another order of rows (per-chunk shuffles), as documented
    }

    public sealed class Row
    {
        [VectorType(4)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    [Fact]
    public void Sparse_and_dense_feature_vectors_train_to_the_same_bits()
    {
        var r = new Random(5);
        var rows = Enumerable.Range(0, 200).Select(_ =>
        {
            var f = new float[4];
            f[r.Next(4)] = (float)r.NextDouble();
            return (f, (float)(f[0] + f[1] > 0.3 ? 1 : 0));
        }).ToArray();
        var ml = new MLContext(seed: 1);
        var dense = ml.Data.LoadFromEnumerable(rows.Select(x => new Row { Features = x.f, Label = x.Item2 }));
        var sparse = ml.Transforms.CustomMapping<Row, SparseRow>((i, o) =>
        {
            var idx = Enumerable.Range(0, 4).Where(k => i.Features[k] != 0).ToArray();
            o.Features = new VBuffer<float>(4, idx.Length, idx.Select(k => i.Features[k]).ToArray(), idx);
        }, null).Fit(dense).Transform(dense);
        NetworkTransformer Train(IDataView d) => ml.Regression.Trainers.Mlp(new MlpOptions { HiddenLayers = [3], Epochs = 2, Seed = 1, MonitorGradients = false }).Fit(d);
        Assert.Equal(Weights(Train(dense)), Weights(Train(sparse)));
    }

    public sealed class SparseRow
    {
        [VectorType(4)] public VBuffer<float> Features { get; set; }
    }

    public sealed class Wrong
    {
        [VectorType(4)] public double[] Doubles { get; set; } = [];
        public float[] Variable { get; set; } = [];
        [VectorType(4)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    [Fact]
    public void Columns_that_do_not_fit_are_schema_errors_naming_the_column_its_type_and_the_fix()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Wrong { Doubles = new double[4], Variable = [1, 2], Features = new float[4] } });
        SchemaException Fit(MlpOptions o) => Assert.Throws<SchemaException>(() => ml.MulticlassClassification.Trainers.Mlp(o).Fit(data));
        var missing = Fit(new MlpOptions { FeatureColumnName = "Pixels" });
        Assert.Contains("'Pixels'", missing.Message);
        Assert.Contains("Concatenate", missing.Message);
        var doubles = Fit(new MlpOptions { FeatureColumnName = "Doubles" });
        Assert.Contains("Vector<Double, 4>", doubles.Message);
        Assert.Contains("ConvertType", doubles.Message);
        var variable = Fit(new MlpOptions { FeatureColumnName = "Variable" });
        Assert.Contains("variable length", variable.Message);
        var label = Fit(new MlpOptions());
        Assert.Contains("label column 'Label' as a key", label.Message);
        Assert.Contains("MapValueToKey(\"Label\")", label.Message);
    }

    [Fact]
    public void Rows_with_a_missing_label_are_skipped_and_counted_in_the_log()
    {
        var ml = new MLContext(seed: 1);
        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning) lock (log) log.Add(e.RawMessage); };
        var rows = Enumerable.Range(0, 100).Select(i => new Row { Features = [i % 3, 1, 0, 0], Label = i % 10 == 0 ? float.NaN : i % 2 }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Regression.Trainers.Mlp(new MlpOptions { HiddenLayers = [3], Epochs = 1, Seed = 1, MonitorGradients = false }).Fit(data);
        Assert.Equal(90, model.History!.Epochs[0].Samples);
        Assert.Contains(log, l => l.Contains("Skipped 10 training rows"));
    }
}

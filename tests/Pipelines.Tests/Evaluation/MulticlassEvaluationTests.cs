using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Evaluation;

namespace DlBook.Pipelines.Tests.Evaluation;

/// <summary>
/// MulticlassClassification.Evaluate against a hand-computed example: 5 rows, 3 classes.
/// <code>
/// label  scores            argmax
///   0    .7  .2  .1          0  ✓
///   0    .3  .6  .1          1  ✗
///   1    .2  .5  .3          1  ✓
///   2    .1  .1  .8          2  ✓
///   2    .5  .1  .4          0  ✗
/// </code>
/// Confusion (truth × predicted): [1 1 0; 0 1 0; 1 0 1]. Recall .5, 1, .5; precision .5, .5, 1.
/// </summary>
public sealed class MulticlassEvaluationTests
{
    private readonly DlContext _ctx = new(1);

    public sealed class Scored
    {
        [KeyType(3)] public uint Label { get; set; }
        [VectorType(3)] public float[] Score { get; set; } = new float[3];
    }

    public sealed class ScoredWithPrediction
    {
        [KeyType(3)] public uint Label { get; set; }
        [VectorType(3)] public float[] Score { get; set; } = new float[3];
        [KeyType(3)] public uint PredictedLabel { get; set; }
    }

    public sealed class ScalarLabel
    {
        public float Label { get; set; }
        [VectorType(3)] public float[] Score { get; set; } = new float[3];
    }

    public sealed class NamedLabel
    {
        public string Animal { get; set; } = "";
        [VectorType(3)] public float[] Score { get; set; } = new float[3];
    }

    private static readonly uint[] Labels = [0, 0, 1, 2, 2];
    private static readonly float[][] Scores = [[.7f, .2f, .1f], [.3f, .6f, .1f], [.2f, .5f, .3f], [.1f, .1f, .8f], [.5f, .1f, .4f]];

    private IDataView Data() => _ctx.Data.LoadFromEnumerable(Labels.Select((l, i) => new Scored { Label = l, Score = Scores[i] }).ToArray());

    private static double Ln(double p) => Math.Log(p);

    [Fact]
    public void MicroAndMacroAccuracyAndTheConfusionMatrix()
    {
        var m = _ctx.MulticlassClassification.Evaluate(Data());
        Assert.Equal(0.6, m.MicroAccuracy, 12);
        Assert.Equal(2.0 / 3, m.MacroAccuracy, 12);
        var c = m.ConfusionMatrix;
        Assert.Equal(3, c.NumberOfClasses);
        Assert.Equal(new double[] { 1, 1, 0 }, c.Counts[0]);
        Assert.Equal(new double[] { 0, 1, 0 }, c.Counts[1]);
        Assert.Equal(new double[] { 1, 0, 1 }, c.Counts[2]);
        Assert.Equal(new[] { 0.5, 1, 0.5 }, c.PerClassRecall);
        Assert.Equal(new[] { 0.5, 0.5, 1 }, c.PerClassPrecision);
        Assert.Equal(new[] { "0", "1", "2" }, c.ClassNames);
    }

    [Fact]
    public void LogLossItsReductionAndPerClassLogLoss()
    {
        var m = _ctx.MulticlassClassification.Evaluate(Data());
        double[] losses = [-Ln(.7), -Ln(.3), -Ln(.5), -Ln(.8), -Ln(.4)];
        double logLoss = losses.Average();
        Assert.Equal(logLoss, m.LogLoss, 6);
        // Prior: class frequencies 2/5, 1/5, 2/5.
        double prior = -(0.4 * Ln(0.4) * 2 + 0.2 * Ln(0.2));
        Assert.Equal((prior - logLoss) / prior, m.LogLossReduction, 6);
        Assert.Equal((losses[0] + losses[1]) / 2, m.PerClassLogLoss[0], 6);
        Assert.Equal(losses[2], m.PerClassLogLoss[1], 6);
        Assert.Equal((losses[3] + losses[4]) / 2, m.PerClassLogLoss[2], 6);
    }

    [Fact]
    public void TopKAccuracyCountsTheLabelAmongTheKHighestScores()
    {
        var m = _ctx.MulticlassClassification.Evaluate(Data(), topKPredictionCount: 2);
        Assert.Equal(2, m.TopKPredictionCount);
        Assert.Equal(new[] { 0.6, 1.0 }, m.TopKAccuracyForAllK);
        Assert.Equal(1.0, m.TopKAccuracy);
        var none = _ctx.MulticlassClassification.Evaluate(Data());
        Assert.Equal(0, none.TopKAccuracy);
        Assert.Empty(none.TopKAccuracyForAllK);
    }

    [Fact]
    public void APredictedLabelColumnIsUsedInsteadOfTheArgmax()
    {
        var rows = Labels.Select((l, i) => new ScoredWithPrediction { Label = l, Score = Scores[i], PredictedLabel = 0 }).ToArray();
        var m = _ctx.MulticlassClassification.Evaluate(_ctx.Data.LoadFromEnumerable(rows));
        Assert.Equal(0.4, m.MicroAccuracy, 12);
        Assert.Equal(1.0 / 3, m.MacroAccuracy, 12);
        Assert.Equal(new double[] { 2, 1, 2 }, m.ConfusionMatrix.Counts.Select(r => r[0]));
        // Log-loss still comes from the scores.
        Assert.Equal(_ctx.MulticlassClassification.Evaluate(Data()).LogLoss, m.LogLoss, 12);
    }

    [Fact]
    public void ScalarLabelsHoldingClassIndicesGiveTheSameMetrics()
    {
        var rows = Labels.Select((l, i) => new ScalarLabel { Label = l, Score = Scores[i] }).ToArray();
        var m = _ctx.MulticlassClassification.Evaluate(_ctx.Data.LoadFromEnumerable(rows));
        Assert.Equal(0.6, m.MicroAccuracy, 12);
        Assert.Equal(_ctx.MulticlassClassification.Evaluate(Data()).LogLoss, m.LogLoss, 12);

        rows[2].Label = 1.5f;
        var e = Assert.Throws<DataFormatException>(() => _ctx.MulticlassClassification.Evaluate(_ctx.Data.LoadFromEnumerable(rows)));
        Assert.Contains("1.5", e.Message);
        Assert.Contains("row 2", e.Message);
    }

    [Fact]
    public void LabelNamesOfAMappedKeyNameTheConfusionMatrixClasses()
    {
        string[] animals = ["cat", "cat", "dog", "eel", "eel"];
        var data = _ctx.Data.LoadFromEnumerable(animals.Select((a, i) => new NamedLabel { Animal = a, Score = Scores[i] }).ToArray());
        var keyed = _ctx.Transforms.Conversion.MapValueToKey("Label", "Animal").Fit(data).Transform(data);
        var m = _ctx.MulticlassClassification.Evaluate(keyed);
        Assert.Equal(new[] { "cat", "dog", "eel" }, m.ConfusionMatrix.ClassNames);
        Assert.Equal(0.6, m.MicroAccuracy, 12);
        var table = m.ConfusionMatrix.GetFormattedConfusionTable();
        Assert.Contains("cat", table);
        Assert.Contains("Precision", table);
        Assert.Contains("0.5000", table);
        Assert.Contains("1.0000", table);
    }

    [Fact]
    public void AZeroProbabilityForTheTrueClassCostsAFiniteClampedLoss()
    {
        var rows = new[] { new Scored { Label = 0, Score = [0, 1, 0] }, new Scored { Label = 1, Score = [0, 1, 0] } };
        var m = _ctx.MulticlassClassification.Evaluate(_ctx.Data.LoadFromEnumerable(rows));
        Assert.Equal(-Math.Log(1e-15) / 2, m.LogLoss, 9);
        Assert.Equal(34.538776394910684, -Math.Log(ClassificationMetrics.Epsilon), 9);
    }

    [Fact]
    public void MissingOrMistypedColumnsAreSchemaErrors()
    {
        var noScore = _ctx.Data.LoadFromEnumerable(new[] { new KeyMappingRow { Label = 0 } });
        var missing = Assert.Throws<SchemaException>(() => _ctx.MulticlassClassification.Evaluate(noScore));
        Assert.Contains("'Score'", missing.Message);
        Assert.Contains("Available columns: Label", missing.Message);
        var missingLabel = Assert.Throws<SchemaException>(() => _ctx.MulticlassClassification.Evaluate(Data(), labelColumnName: "Truth"));
        Assert.Contains("'Truth'", missingLabel.Message);

        var wrongCount = _ctx.Data.LoadFromEnumerable(new[] { new TwoClassKey { Label = 1, Score = [.2f, .3f, .5f] } });
        var count = Assert.Throws<SchemaException>(() => _ctx.MulticlassClassification.Evaluate(wrongCount));
        Assert.Contains("2 classes", count.Message);

        var scalarScore = _ctx.Data.LoadFromEnumerable(new[] { new ScalarLabel() });
        var notVector = Assert.Throws<SchemaException>(() => _ctx.MulticlassClassification.Evaluate(scalarScore, scoreColumnName: "Label"));
        Assert.Contains("vector", notVector.Message);

        var text = _ctx.Data.LoadFromEnumerable(new[] { new NamedLabel { Animal = "cat" } });
        var textLabel = Assert.Throws<SchemaException>(() => _ctx.MulticlassClassification.Evaluate(text, labelColumnName: "Animal"));
        Assert.Contains("MapValueToKey", textLabel.Message);
    }

    public sealed class KeyMappingRow
    {
        [KeyType(3)] public uint Label { get; set; }
    }

    public sealed class TwoClassKey
    {
        [KeyType(2)] public uint Label { get; set; }
        [VectorType(3)] public float[] Score { get; set; } = new float[3];
    }

    [Fact]
    public void PlainFunctionsAgreeWithTheEvaluator()
    {
        float[] flat = Scores.SelectMany(s => s).ToArray();
        Assert.Equal(new uint[] { 0, 1, 1, 2, 0 }, ClassificationMetrics.ArgMaxRows(flat, 3));
        Assert.Equal(1u, ClassificationMetrics.ArgMax([0.1f, 0.4f, 0.4f])); // first of a tie
        Assert.Equal(0.6, ClassificationMetrics.Accuracy(Labels, [0, 1, 1, 2, 0]), 12);
        Assert.Equal(_ctx.MulticlassClassification.Evaluate(Data()).LogLoss, ClassificationMetrics.LogLoss(flat, 3, Labels), 12);
        var direct = MulticlassClassificationMetrics.Compute(Labels, flat, 3);
        Assert.Equal(2.0 / 3, direct.MacroAccuracy, 12);
        Assert.Throws<ArgumentException>(() => MulticlassClassificationMetrics.Compute(Labels, flat[..12], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => MulticlassClassificationMetrics.Compute(Labels, flat, 3, topKPredictionCount: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.ConfusionMatrix([3], [0], 3));
        Assert.Equal(0, ClassificationMetrics.F1Score(0, 0));
        Assert.Equal(2 * 0.5 * 0.25 / 0.75, ClassificationMetrics.F1Score(0.5, 0.25), 12);
    }

    [Fact]
    public void MacroAccuracyAveragesOnlyTheClassesPresentInTheLabels()
    {
        // Class 2 never occurs: macro = mean(recall 0, recall 1) = (1 + 0) / 2.
        var m = MulticlassClassificationMetrics.Compute([0, 1], [.9f, .05f, .05f, .2f, .1f, .7f], 3);
        Assert.Equal(0.5, m.MicroAccuracy, 12);
        Assert.Equal(0.5, m.MacroAccuracy, 12);
        Assert.Equal(0, m.PerClassLogLoss[2]);
        Assert.Equal(0, m.ConfusionMatrix.PerClassRecall[2]);
        Assert.Equal(0, m.ConfusionMatrix.PerClassPrecision[1]);
    }
}

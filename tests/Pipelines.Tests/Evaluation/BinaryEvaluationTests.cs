using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Evaluation;

namespace DlBook.Pipelines.Tests.Evaluation;

/// <summary>
/// BinaryClassification.Evaluate against a hand-computed example with a tie:
/// <code>
/// label   T    F    T    F    T    F
/// p      .9   .8   .6   .6   .3   .1      predicted (p &gt; .5): T T T T F F
/// </code>
/// TP 2, FP 2, FN 1, TN 1. AUC: positive/negative pairs ranked right = 3 + (1 + ½) + 1 = 5.5 of 9.
/// Average precision: ⅓·1 + ⅓·(2/4) + ⅓·(3/5) = 0.7.
/// </summary>
public sealed class BinaryEvaluationTests
{
    private readonly DlContext _ctx = new(1);

    public sealed class Scored
    {
        public bool Label { get; set; }
        public float Score { get; set; }
    }

    public sealed class TwoScores
    {
        public bool Label { get; set; }
        [VectorType(2)] public float[] Score { get; set; } = new float[2];
    }

    public sealed class ThreeClassKey
    {
        [KeyType(3)] public uint Label { get; set; }
        public float Score { get; set; }
    }

    private static readonly bool[] Labels = [true, false, true, false, true, false];
    private static readonly float[] Probabilities = [.9f, .8f, .6f, .6f, .3f, .1f];

    private IDataView Data() => _ctx.Data.LoadFromEnumerable(Labels.Select((l, i) => new Scored { Label = l, Score = Probabilities[i] }).ToArray());

    [Fact]
    public void CountsAccuracyPrecisionRecallAndF1()
    {
        var m = _ctx.BinaryClassification.Evaluate(Data());
        Assert.Equal(0.5, m.Accuracy, 12);
        Assert.Equal(0.5, m.PositivePrecision, 12);
        Assert.Equal(2.0 / 3, m.PositiveRecall, 12);
        Assert.Equal(0.5, m.NegativePrecision, 12);
        Assert.Equal(1.0 / 3, m.NegativeRecall, 12);
        Assert.Equal(4.0 / 7, m.F1Score, 12); // 2·½·⅔ / (½ + ⅔)
        Assert.Equal(new double[] { 1, 2 }, m.ConfusionMatrix.Counts[0]); // truth negative: TN, FP
        Assert.Equal(new double[] { 1, 2 }, m.ConfusionMatrix.Counts[1]); // truth positive: FN, TP
        Assert.Equal(new[] { "False", "True" }, m.ConfusionMatrix.ClassNames);
    }

    [Fact]
    public void AreaUnderRocCurveCountsTiesAsOneHalf()
    {
        var m = _ctx.BinaryClassification.Evaluate(Data());
        Assert.Equal(5.5 / 9, m.AreaUnderRocCurve, 12);
        Assert.Equal(0.7, m.AreaUnderPrecisionRecallCurve, 12);
    }

    [Fact]
    public void AreaUnderRocCurveOfPerfectReversedAndConstantScores()
    {
        bool[] labels = [false, false, true, true];
        Assert.Equal(1, ClassificationMetrics.AreaUnderRocCurve([.1f, .2f, .8f, .9f], labels), 12);
        Assert.Equal(0, ClassificationMetrics.AreaUnderRocCurve([.9f, .8f, .2f, .1f], labels), 12);
        Assert.Equal(0.5, ClassificationMetrics.AreaUnderRocCurve([.5f, .5f, .5f, .5f], labels), 12);
        Assert.Equal(0.875, ClassificationMetrics.AreaUnderRocCurve([.1f, .5f, .5f, .9f], labels), 12); // 3 pairs right, 1 tied
        Assert.True(double.IsNaN(ClassificationMetrics.AreaUnderRocCurve([.1f, .9f], [true, true])));
        Assert.True(double.IsNaN(ClassificationMetrics.AreaUnderPrecisionRecallCurve([.1f, .9f], [false, false])));
        Assert.Equal(1, ClassificationMetrics.AreaUnderPrecisionRecallCurve([.1f, .2f, .8f, .9f], labels), 12);
    }

    [Fact]
    public void LogLossIsInBitsAndItsReductionIsAgainstTheLabelEntropy()
    {
        var m = _ctx.BinaryClassification.Evaluate(Data());
        double[] bits = [-Math.Log2(.9), -Math.Log2(.2), -Math.Log2(.6), -Math.Log2(.4), -Math.Log2(.3), -Math.Log2(.9)];
        Assert.Equal(bits.Average(), m.LogLoss, 6);
        Assert.Equal(1, m.Entropy, 12); // three positives of six
        Assert.Equal(1 - bits.Average(), m.LogLossReduction, 6);

        var skewed = BinaryClassificationMetrics.Compute([true, false, false, false], [.25f, .25f, .25f, .25f]);
        double entropy = -(0.25 * Math.Log2(0.25) + 0.75 * Math.Log2(0.75));
        Assert.Equal(entropy, skewed.Entropy, 12);
        // Predicting the positive rate scores exactly the entropy: no reduction.
        Assert.Equal(entropy, skewed.LogLoss, 6);
        Assert.Equal(0, skewed.LogLossReduction, 6);
    }

    [Fact]
    public void ATwoElementScoreVectorUsesTheProbabilityOfThePositiveClass()
    {
        var rows = Labels.Select((l, i) => new TwoScores { Label = l, Score = [1 - Probabilities[i], Probabilities[i]] }).ToArray();
        var m = _ctx.BinaryClassification.Evaluate(_ctx.Data.LoadFromEnumerable(rows));
        Assert.Equal(5.5 / 9, m.AreaUnderRocCurve, 12);
        Assert.Equal(0.5, m.Accuracy, 12);
    }

    [Fact]
    public void KeyLabelsWithTwoNamesNameTheClasses()
    {
        var rows = new[] { new { Label = "no", Score = .2f }, new { Label = "yes", Score = .7f }, new { Label = "yes", Score = .4f } };
        var data = _ctx.Data.LoadFromEnumerable(rows.Select(r => new TextScored { Label = r.Label, Score = r.Score }).ToArray());
        var keyed = _ctx.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var m = _ctx.BinaryClassification.Evaluate(keyed);
        Assert.Equal(new[] { "no", "yes" }, m.ConfusionMatrix.ClassNames);
        Assert.Equal(2.0 / 3, m.Accuracy, 12);
        Assert.Equal(0.5, m.PositiveRecall, 12);
    }

    public sealed class TextScored
    {
        public string Label { get; set; } = "";
        public float Score { get; set; }
    }

    [Fact]
    public void APredictedLabelColumnIsUsedInsteadOfTheThreshold()
    {
        var predicted = new[] { true, true, true, true, true, true };
        var m = BinaryClassificationMetrics.Compute(Labels, Probabilities, predicted);
        Assert.Equal(0.5, m.Accuracy, 12);
        Assert.Equal(1, m.PositiveRecall, 12);
        Assert.Equal(0, m.NegativeRecall, 12);
        Assert.Equal(0, m.NegativePrecision, 12); // never predicted negative
    }

    [Fact]
    public void MissingOrMistypedColumnsAreSchemaErrors()
    {
        var missing = Assert.Throws<SchemaException>(() => _ctx.BinaryClassification.Evaluate(Data(), scoreColumnName: "Probability"));
        Assert.Contains("'Probability'", missing.Message);
        Assert.Contains("Available columns: Label (Single), Score (Single)", missing.Message);
        Assert.Throws<SchemaException>(() => _ctx.BinaryClassification.Evaluate(Data(), labelColumnName: "Truth"));

        var threeClasses = _ctx.Data.LoadFromEnumerable(new[] { new ThreeClassKey { Label = 1, Score = .5f } });
        var keys = Assert.Throws<SchemaException>(() => _ctx.BinaryClassification.Evaluate(threeClasses));
        Assert.Contains("3 classes", keys.Message);

        var vector = _ctx.Data.LoadFromEnumerable(new[] { new VectorRow() });
        var score = Assert.Throws<SchemaException>(() => _ctx.BinaryClassification.Evaluate(vector, labelColumnName: "S", scoreColumnName: "V"));
        Assert.Contains("'V'", score.Message);
    }
}

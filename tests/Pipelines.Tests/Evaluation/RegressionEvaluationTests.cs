using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Evaluation;

namespace DlBook.Pipelines.Tests.Evaluation;

/// <summary>Regression.Evaluate: labels 1 2 3 4, scores 1.5 2 2 5 → errors .5 0 −1 1.</summary>
public sealed class RegressionEvaluationTests
{
    private readonly DlContext _ctx = new(1);

    public sealed class Scored
    {
        public float Label { get; set; }
        public float Score { get; set; }
        public string Note { get; set; } = "";
    }

    private IDataView Data(float[] labels, float[] scores) =>
        _ctx.Data.LoadFromEnumerable(labels.Select((l, i) => new Scored { Label = l, Score = scores[i] }).ToArray());

    [Fact]
    public void MseRmseMaeAndRSquaredInClosedForm()
    {
        var m = _ctx.Regression.Evaluate(Data([1, 2, 3, 4], [1.5f, 2, 2, 5]));
        Assert.Equal(2.25 / 4, m.MeanSquaredError, 12);
        Assert.Equal(0.75, m.RootMeanSquaredError, 12);
        Assert.Equal(2.5 / 4, m.MeanAbsoluteError, 12);
        Assert.Equal(1 - 2.25 / 5, m.RSquared, 12); // SS_tot = 2.25 + .25 + .25 + 2.25
    }

    [Fact]
    public void RSquaredIsOneForAPerfectFitNegativeForAWorseThanMeanFitAndNaNForConstantLabels()
    {
        Assert.Equal(1, _ctx.Regression.Evaluate(Data([1, 2, 3], [1, 2, 3])).RSquared, 12);
        Assert.Equal(0, _ctx.Regression.Evaluate(Data([1, 2, 3], [2, 2, 2])).RSquared, 12);
        Assert.Equal(-3, _ctx.Regression.Evaluate(Data([1, 2, 3], [3, 2, 1])).RSquared, 12); // 1 − 8/2
        var constant = _ctx.Regression.Evaluate(Data([2, 2], [1, 3]));
        Assert.True(double.IsNaN(constant.RSquared));
        Assert.Equal(1, constant.MeanSquaredError, 12);
        Assert.True(double.IsNaN(RegressionMetrics.Compute([], []).RSquared));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute([1, 2], [1]));
    }

    [Fact]
    public void MissingOrNonScalarColumnsAreSchemaErrors()
    {
        var data = Data([1], [1]);
        var missing = Assert.Throws<SchemaException>(() => _ctx.Regression.Evaluate(data, scoreColumnName: "Prediction"));
        Assert.Contains("'Prediction'", missing.Message);
        Assert.Contains("Available columns: Label (Single), Score (Single), Note (String)", missing.Message);
        var text = Assert.Throws<SchemaException>(() => _ctx.Regression.Evaluate(data, labelColumnName: "Note"));
        Assert.Contains("'Note'", text.Message);
        Assert.Contains("Single scalar", text.Message);
        var vector = _ctx.Data.LoadFromEnumerable(new[] { new VectorRow() });
        Assert.Throws<SchemaException>(() => _ctx.Regression.Evaluate(vector, labelColumnName: "S", scoreColumnName: "V"));
    }
}

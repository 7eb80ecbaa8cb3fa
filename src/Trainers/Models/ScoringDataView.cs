using DlBook.Engine.Tensors;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Views;

namespace DlBook.Trainers.Models;

/// <summary>
/// The lazy output of a network model's Transform: per batch it runs the network on the feature
/// column and adds Score (and PredictedLabel). A request naming neither passes straight through.
/// </summary>
internal sealed class ScoringDataView(IDataView input, NetworkModelColumns columns, Func<Tensor, float[]> predict)
    : MappedDataView(input, columns.OutputSchema(input.Schema), columns.Produced, [columns.Feature])
{
    protected override IReadOnlyDictionary<string, ColumnData> Map(DataBatch input)
    {
        var features = input.Get<FloatColumnData>(columns.Feature);
        int rows = input.RowCount;
        var scores = predict(new Tensor(features.Values, [rows, .. columns.InputShape]));
        var produced = new Dictionary<string, ColumnData>(2) { [columns.Score] = new FloatColumnData(scores, rows, columns.ScoreSize) };
        if (columns.PredictedLabel is { } p) produced[p] = new KeyColumnData(columns.PredictKeys(scores, rows), rows);
        return produced;
    }
}

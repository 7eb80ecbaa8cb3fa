using DlBook.Pipelines.Data;

namespace DlBook.Export.Scoring;

/// <summary>The lazy output of <see cref="OnnxScoringTransformer"/>: each upstream batch, scored when requested.</summary>
internal sealed class OnnxScoredDataView(OnnxScoringTransformer transformer, IDataView input, DataSchema schema) : IDataView
{
    public DataSchema Schema { get; } = schema;

    public long? RowCount => input.RowCount;

    public IEnumerable<DataBatch> GetBatches(BatchOptions options)
    {
        var upstream = options;
        if (options.Columns is { } wanted)
        {
            // Ask upstream for what it has of the request, plus the model inputs; the outputs are ours.
            var cols = wanted.Where(c => !transformer.OutputColumnNames.Contains(c)).Concat(transformer.InputColumnNames).Distinct().ToArray();
            upstream = options with { Columns = cols };
        }
        foreach (var batch in input.GetBatches(upstream))
            yield return transformer.Score(batch);
    }
}

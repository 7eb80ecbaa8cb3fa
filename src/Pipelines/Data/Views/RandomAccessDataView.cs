namespace DlBook.Pipelines.Data.Views;

/// <summary>
/// A view whose rows can be fetched by index. Batches are gathered into new buffers, so a batch handed
/// out is never touched again; shuffling is a seeded permutation of row indices.
/// </summary>
internal abstract class RandomAccessDataView : IDataView
{
    public abstract DataSchema Schema { get; }

    /// <summary>Number of rows (may trigger a lazy load).</summary>
    public abstract int Rows { get; }

    public virtual long? RowCount => Rows;

    /// <summary>
    /// The rows <c>order[start..start+count)</c> of one column (identity order when null), written into
    /// <paramref name="reuse"/> when it is a buffer of this column's kind and exactly this size.
    /// </summary>
    public abstract ColumnData Gather(string column, int[]? order, int start, int count, ColumnData? reuse = null);

    public IEnumerable<DataBatch> GetBatches(BatchOptions options)
    {
        ViewHelpers.Validate(options);
        var columns = ViewHelpers.ResolveColumns(Schema, options.Columns);
        return Iterate(options, columns);
    }

    private IEnumerable<DataBatch> Iterate(BatchOptions options, string[] columns)
    {
        int n = Rows;
        int[]? order = options.ShuffleSeed is ulong seed ? ViewHelpers.Permutation(n, seed) : null;
        DataBatch? previous = null;
        for (int start = 0; start < n; start += options.BatchSize)
        {
            int count = Math.Min(options.BatchSize, n - start);
            if (count < options.BatchSize && options.DropLast) yield break;
            var data = new Dictionary<string, ColumnData>(columns.Length);
            foreach (var c in columns) data[c] = Gather(c, order, start, count, previous?.Columns[c]);
            var batch = new DataBatch(count, data, order is null ? start : -1);
            if (options.ReuseBuffers) previous = batch;
            yield return batch;
        }
    }
}

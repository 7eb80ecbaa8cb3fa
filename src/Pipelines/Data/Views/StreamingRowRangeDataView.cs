namespace DlBook.Pipelines.Data.Views;

/// <summary>Rows [skip, skip+take) of a view that can only stream: reads the source once per enumeration and slices batches.</summary>
internal sealed class StreamingRowRangeDataView(IDataView source, long skip, long take) : StreamingDataView
{
    public override DataSchema Schema => source.Schema;

    public override long? RowCount =>
        source.RowCount is long n ? Math.Max(0, Math.Min(take, n - skip)) : base.RowCount;

    protected override IEnumerable<DataBatch> ReadBatches(int batchSize, string[] columns)
    {
        long seen = 0, emitted = 0;
        var pending = new List<DataBatch>();
        int pendingRows = 0;
        foreach (var batch in source.GetBatches(new BatchOptions { BatchSize = batchSize, Columns = columns }))
        {
            if (emitted + pendingRows >= take) break;
            long first = seen;
            seen += batch.RowCount;
            if (seen <= skip) continue;
            int from = (int)Math.Max(0, skip - first);
            int count = (int)Math.Min(batch.RowCount - from, take - emitted - pendingRows);
            pending.Add(Slice(batch, from, count, columns));
            pendingRows += count;
            if (pendingRows >= batchSize)
            {
                var merged = Merge(pending, columns);
                var full = Split(merged, batchSize, columns, out var rest);
                foreach (var b in full) { emitted += b.RowCount; yield return b; }
                pending = rest is null ? [] : [rest];
                pendingRows = rest?.RowCount ?? 0;
            }
        }
        if (pendingRows > 0) yield return Merge(pending, columns);
    }

    private static DataBatch Slice(DataBatch b, int from, int count, string[] columns) =>
        new(count, columns.ToDictionary(c => c, c => ViewHelpers.Slice(b.Columns[c], from, count)));

    private DataBatch Merge(List<DataBatch> parts, string[] columns)
    {
        if (parts.Count == 1) return parts[0];
        var data = new Dictionary<string, ColumnData>();
        foreach (var c in columns)
        {
            var builder = ColumnBuilder.For(c, Schema[c].Type);
            foreach (var p in parts) builder.Append(p.Columns[c]);
            data[c] = builder.Build().Gather(null, 0, parts.Sum(p => p.RowCount));
        }
        return new DataBatch(parts.Sum(p => p.RowCount), data);
    }

    private static IEnumerable<DataBatch> Split(DataBatch merged, int batchSize, string[] columns, out DataBatch? rest)
    {
        var full = new List<DataBatch>();
        int start = 0;
        for (; start + batchSize <= merged.RowCount; start += batchSize) full.Add(Slice(merged, start, batchSize, columns));
        rest = start < merged.RowCount ? Slice(merged, start, merged.RowCount - start, columns) : null;
        return full;
    }
}

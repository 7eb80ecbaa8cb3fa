namespace DlBook.Pipelines.Data.Views;

/// <summary>
/// A columnar data view held in memory, with random access. Shuffling (<see cref="BatchOptions.ShuffleSeed"/>)
/// is a seeded permutation of the rows; each batch gets fresh buffers.
/// </summary>
public sealed class InMemoryDataView : IDataView
{
    private readonly Impl _impl;

    internal InMemoryDataView(DataSchema schema, IReadOnlyDictionary<string, ColumnStore> columns, int rows)
    {
        foreach (var c in schema)
            if (!columns.TryGetValue(c.Name, out var s) || s.Rows != rows)
                throw new ArgumentException($"Column '{c.Name}' is missing or does not have {rows} rows.");
        _impl = new Impl(schema, columns, rows);
    }

    /// <summary>Builds a view from whole columns (each <see cref="ColumnData"/> holds every row).</summary>
    public InMemoryDataView(DataSchema schema, IReadOnlyDictionary<string, ColumnData> columns)
        : this(schema, columns.ToDictionary(kv => kv.Key, kv => ColumnStore.FromData(kv.Value)),
               columns.Count == 0 ? 0 : columns.Values.First().RowCount)
    { }

    /// <inheritdoc />
    public DataSchema Schema => _impl.Schema;

    /// <inheritdoc />
    public long? RowCount => _impl.Rows;

    /// <inheritdoc />
    public IEnumerable<DataBatch> GetBatches(BatchOptions options) => _impl.GetBatches(options);

    internal RandomAccessDataView RandomAccess => _impl;

    private sealed class Impl(DataSchema schema, IReadOnlyDictionary<string, ColumnStore> columns, int rows) : RandomAccessDataView
    {
        public override DataSchema Schema => schema;
        public override int Rows => rows;
        public override ColumnData Gather(string column, int[]? order, int start, int count, ColumnData? reuse = null) =>
            columns[column].Gather(order, start, count, reuse);
    }
}

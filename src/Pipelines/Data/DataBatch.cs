namespace DlBook.Pipelines.Data;

/// <summary>A batch of rows: one contiguous buffer per requested column.</summary>
public sealed class DataBatch
{
    private readonly Dictionary<string, ColumnData> _columns;

    /// <summary>Creates a batch; every column must hold <paramref name="rowCount"/> rows.</summary>
    public DataBatch(int rowCount, IReadOnlyDictionary<string, ColumnData> columns, long firstRow = -1)
    {
        RowCount = rowCount;
        FirstRow = firstRow;
        _columns = new Dictionary<string, ColumnData>(columns);
        foreach (var (name, data) in _columns)
            if (data.RowCount != rowCount)
                throw new ArgumentException($"Column '{name}' has {data.RowCount} rows in a batch of {rowCount}.");
    }

    /// <summary>Rows in this batch.</summary>
    public int RowCount { get; }

    /// <summary>Index of the first row in the source view when unshuffled, or −1.</summary>
    public long FirstRow { get; }

    /// <summary>The columns present.</summary>
    public IReadOnlyDictionary<string, ColumnData> Columns => _columns;

    /// <summary>A column's data, typed; throws <see cref="SchemaException"/> if absent or of another kind.</summary>
    public T Get<T>(string name) where T : ColumnData =>
        _columns.TryGetValue(name, out var d)
            ? d as T ?? throw new SchemaException($"Column '{name}' holds {d.GetType().Name}, expected {typeof(T).Name}.")
            : throw new SchemaException($"Column '{name}' is not in this batch (present: {string.Join(", ", _columns.Keys)}).");

    /// <summary>A new batch with a column added or replaced.</summary>
    public DataBatch With(string name, ColumnData data)
    {
        var d = new Dictionary<string, ColumnData>(_columns) { [name] = data };
        return new DataBatch(RowCount, d, FirstRow);
    }
}

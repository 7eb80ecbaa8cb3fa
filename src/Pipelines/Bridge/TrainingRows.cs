using Microsoft.ML;

namespace DlBook.Pipelines.Bridge;

/// <summary>
/// The rows a trainer trains on: read once into an <see cref="EngineTable"/> when they fit
/// a memory budget, otherwise streamed in chunks of that size, one sequential cursor pass per
/// epoch (each chunk shuffled on its own).
/// </summary>
public sealed class TrainingRows : IDisposable
{
    private readonly IDataView? _data;
    private readonly long _chunkRows;

    private TrainingRows(IDataView? data, BridgeColumns columns, EngineTable? table, long chunkRows, int[] shape, int classes, long rows, long skipped)
    {
        _data = data;
        Columns = columns;
        Table = table;
        _chunkRows = chunkRows;
        FeatureShape = shape;
        Classes = classes;
        Rows = rows;
        Skipped = skipped;
    }

    /// <summary>The columns read.</summary>
    public BridgeColumns Columns { get; }
    /// <summary>All rows, when they fit the budget; null when streaming.</summary>
    public EngineTable? Table { get; }
    /// <summary>True when the rows are held in memory.</summary>
    public bool InMemory => Table is not null;
    /// <summary>Per-row feature shape.</summary>
    public int[] FeatureShape { get; }
    /// <summary>Classes of a key label (0 otherwise).</summary>
    public int Classes { get; }
    /// <summary>Usable rows (after skipping).</summary>
    public long Rows { get; }
    /// <summary>Rows skipped for a missing label or a NaN feature (first pass).</summary>
    public long Skipped { get; }
    /// <summary>Rows per streamed chunk.</summary>
    public long ChunkRows => _chunkRows;

    /// <summary>Reads <paramref name="data"/>: into memory when it fits the budget, else counts it and streams it.</summary>
    /// <exception cref="Data.SchemaException">A column is missing or of the wrong type; the message names it and the fix.</exception>
    public static TrainingRows Open(IDataView data, BridgeColumns columns, long memoryBudgetBytes = DefaultMemoryBudget)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (memoryBudgetBytes < 1) throw new ArgumentOutOfRangeException(nameof(memoryBudgetBytes), memoryBudgetBytes, "The memory budget must be positive.");
        using var reader = new RowReader(data, columns);
        long rowBytes = (long)reader.FeatureSize * sizeof(float) + sizeof(float);
        long chunkRows = Math.Max(1, Math.Min(memoryBudgetBytes / rowBytes, Array.MaxLength / Math.Max(1, reader.FeatureSize)));
        var table = DataBridge.ReadChunk(reader, chunkRows, out bool more);
        if (!more)
        {
            var t = table ?? Empty(reader);
            return new TrainingRows(data, columns, t, chunkRows, reader.FeatureShape, reader.Classes, t.Rows, reader.Skipped);
        }
        long rows = table!.Rows;
        table.Release();
        while (DataBridge.ReadChunk(reader, chunkRows, out _) is { } next) { rows += next.Rows; next.Release(); }
        return new TrainingRows(data, columns, null, chunkRows, reader.FeatureShape, reader.Classes, rows, reader.Skipped);
    }

    /// <summary>
    /// Rows the caller built in memory (e.g. the windows of a text), with no data view behind them. The table's
    /// feature array is the caller's: <see cref="Dispose"/> leaves it alone.
    /// </summary>
    internal static TrainingRows FromTable(EngineTable table, BridgeColumns columns)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new TrainingRows(null, columns, table, Math.Max(1, table.Rows), table.FeatureShape, 0, table.Rows, 0);
    }

    /// <summary>The default budget for holding training rows in memory: 2 GiB.</summary>
    public const long DefaultMemoryBudget = 2L << 30;

    /// <summary>The table (in memory) or the chunks of one sequential pass (streaming), each with the source row of its first row.</summary>
    public IEnumerable<(EngineTable Chunk, long Offset)> Chunks()
    {
        if (Table is { } t) { yield return (t, 0); yield break; }
        using var reader = new RowReader(_data!, Columns);
        long offset = 0;
        while (DataBridge.ReadChunk(reader, _chunkRows, out _) is { } chunk)
        {
            try { yield return (chunk, offset); }
            finally { chunk.Release(); }
            offset = reader.NextSourceRow;
        }
    }

    /// <summary>The first <paramref name="count"/> usable rows (fewer when there are fewer; rows built in memory come whole).</summary>
    public EngineTable Head(int count)
    {
        if (_data is null) return Table!;
        using var reader = new RowReader(_data, Columns);
        return DataBridge.ReadChunk(reader, count, out _) ?? Empty(reader);
    }

    /// <summary>Gives the rows' memory back to the shared pool (the trainers do when Fit ends).</summary>
    public void Dispose()
    {
        if (_data is not null) Table?.Release();
    }

    private static EngineTable Empty(RowReader reader) =>
        new(0, reader.FeatureShape, [], null, 1f, reader.Columns.Kind == LabelKind.Key || reader.BinaryAsClass ? [] : null,
            reader.Columns.Kind is LabelKind.Single or LabelKind.Binary && !reader.BinaryAsClass ? [] : null, null);
}

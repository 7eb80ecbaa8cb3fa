namespace DlBook.Pipelines.Data;

/// <summary>How a data view should hand out batches.</summary>
public sealed record BatchOptions
{
    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>Columns to materialise; null for all.</summary>
    public IReadOnlyCollection<string>? Columns { get; init; }
    /// <summary>Shuffle the row order with this seed; null keeps file order.</summary>
    public ulong? ShuffleSeed { get; init; }
    /// <summary>Drop a last batch smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }
    /// <summary>
    /// The caller is done with each batch before it asks for the next, so a view may write the next batch into the
    /// same buffers (as ML.NET's cursors reuse their getters' buffers). In-memory and IDX views then allocate a
    /// batch's arrays once per enumeration instead of once per batch; a batch of another size (the last one) still
    /// gets its own. Default false: every batch handed out is never touched again.
    /// </summary>
    public bool ReuseBuffers { get; init; }
}

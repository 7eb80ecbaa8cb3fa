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
}

namespace DlBook.Pipelines.Data.Views;

/// <summary>
/// A view read front to back from its source each time it is enumerated (text files, enumerables).
/// A shuffled enumeration needs random access, so it reads the source into memory once and keeps it.
/// </summary>
internal abstract class StreamingDataView : IDataView
{
    private readonly Lazy<CachedDataView> _cache;

    protected StreamingDataView() =>
        _cache = new Lazy<CachedDataView>(() => new CachedDataView(new Unshuffled(this)), LazyThreadSafetyMode.ExecutionAndPublication);

    public abstract DataSchema Schema { get; }

    public virtual long? RowCount => _cache.IsValueCreated ? _cache.Value.RowCount : null;

    /// <summary>Reads batches of <paramref name="batchSize"/> rows (the last may be smaller) holding <paramref name="columns"/>.</summary>
    protected abstract IEnumerable<DataBatch> ReadBatches(int batchSize, string[] columns);

    public IEnumerable<DataBatch> GetBatches(BatchOptions options)
    {
        ViewHelpers.Validate(options);
        var columns = ViewHelpers.ResolveColumns(Schema, options.Columns);
        if (options.ShuffleSeed is not null) return _cache.Value.GetBatches(options);
        return Iterate(options, columns);
    }

    private IEnumerable<DataBatch> Iterate(BatchOptions options, string[] columns)
    {
        foreach (var batch in ReadBatches(options.BatchSize, columns))
        {
            if (batch.RowCount < options.BatchSize && options.DropLast) yield break;
            yield return batch;
        }
    }

    /// <summary>The view without the shuffle detour, for filling the cache.</summary>
    private sealed class Unshuffled(StreamingDataView owner) : IDataView
    {
        public DataSchema Schema => owner.Schema;
        public long? RowCount => null;
        public IEnumerable<DataBatch> GetBatches(BatchOptions options) =>
            owner.ReadBatches(options.BatchSize, ViewHelpers.ResolveColumns(owner.Schema, options.Columns));
    }
}

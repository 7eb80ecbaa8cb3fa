namespace DlBook.Pipelines.Data.Views;

/// <summary>Reads its source into memory on first use, then serves every enumeration (and random access) from there.</summary>
internal sealed class CachedDataView : RandomAccessDataView
{
    private readonly IDataView _source;
    private readonly Lazy<RandomAccessDataView> _cache;

    public CachedDataView(IDataView source)
    {
        _source = source;
        _cache = new Lazy<RandomAccessDataView>(() => ViewHelpers.Materialize(source).RandomAccess, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public override DataSchema Schema => _source.Schema;
    public override long? RowCount => _cache.IsValueCreated ? _cache.Value.Rows : _source.RowCount;
    public override int Rows => _cache.Value.Rows;
    public override ColumnData Gather(string column, int[]? order, int start, int count, ColumnData? reuse = null) => _cache.Value.Gather(column, order, start, count, reuse);
}

namespace DlBook.Pipelines.Data.Views;

/// <summary>Rows of a random-access source picked by index (splits, Take/Skip on cached data, ShuffleRows).</summary>
internal sealed class RowSelectionDataView : RandomAccessDataView
{
    private readonly RandomAccessDataView _source;
    private readonly Lazy<int[]> _rows;

    /// <param name="source">The view rows are taken from.</param>
    /// <param name="rows">Computes the selected source rows when first needed (the source may load lazily).</param>
    public RowSelectionDataView(RandomAccessDataView source, Func<int, int[]> rows)
    {
        _source = source;
        _rows = new Lazy<int[]>(() => rows(source.Rows), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public override DataSchema Schema => _source.Schema;
    public override int Rows => _rows.Value.Length;

    public override ColumnData Gather(string column, int[]? order, int start, int count, ColumnData? reuse = null)
    {
        var rows = _rows.Value;
        var mapped = new int[count];
        for (int i = 0; i < count; i++) mapped[i] = rows[order is null ? start + i : order[start + i]];
        return _source.Gather(column, mapped, 0, count, reuse);
    }
}

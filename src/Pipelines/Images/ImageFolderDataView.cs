using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Images;

/// <summary>
/// The images of an image folder as an ML.NET <see cref="IDataView"/> of two text columns, the full path and the label
/// (the class folder's name), in <see cref="ImageFolder"/>'s order. The file list is made once, when the view is made;
/// the files are not opened. A cursor asked for a random order gets a shuffled one.
/// </summary>
internal sealed class ImageFolderDataView : IDataView
{
    private readonly ReadOnlyMemory<char>[] _paths;
    private readonly ReadOnlyMemory<char>[] _labels;

    public ImageFolderDataView(ImageFolderOptions options)
    {
        var rows = ImageFolder.List(options);
        _paths = rows.Select(r => r.Path.AsMemory()).ToArray();
        _labels = rows.Select(r => r.Label.AsMemory()).ToArray();
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(options.ImagePathColumnName, TextDataViewType.Instance);
        builder.AddColumn(options.LabelColumnName, TextDataViewType.Instance);
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => true;
    public DataViewSchema Schema { get; }
    public long? GetRowCount() => _paths.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        int[]? order = null;
        if (rand is not null)
        {
            order = Enumerable.Range(0, _paths.Length).ToArray();
            rand.Shuffle(order);
        }
        return new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet(), order);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(ImageFolderDataView view, HashSet<int> active, int[]? order) : DataViewRowCursor
    {
        private long _position = -1;
        private int Row => order is null ? (int)_position : order[_position];

        public override long Position => _position;
        public override long Batch => 0;
        public override DataViewSchema Schema => view.Schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override bool MoveNext()
        {
            if (_position + 1 >= view._paths.Length) { _position = view._paths.Length; return false; }
            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)Row, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was made.");
            var source = column.Index == 0 ? view._paths : view._labels;
            ValueGetter<ReadOnlyMemory<char>> getter = (ref ReadOnlyMemory<char> value) => value = source[Row];
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is text; it cannot be read as {typeof(TValue).Name}.");
        }
    }
}

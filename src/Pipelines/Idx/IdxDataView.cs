using DlBook.Pipelines.Bridge;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Idx;

/// <summary>
/// MNIST-style IDX images (and optionally labels) as an ML.NET <see cref="IDataView"/>: <c>Features</c>, a
/// <c>Vector&lt;Single&gt;</c> of pixel × scale, and <c>Label</c>, a <c>Single</c> (the digit). The headers are read and
/// checked when the view is made (the schema needs the image size); the pixels are read on first use and kept as
/// bytes (47 MB for MNIST's training set), scaled to floats row by row.
/// </summary>
internal sealed class IdxDataView : IDataView
{
    private readonly IdxFile _images;
    private readonly IdxFile? _labels;
    private readonly Lazy<(byte[] Pixels, byte[]? Labels)> _data;
    private readonly float _scale;

    public IdxDataView(string imagesPath, string? labelsPath, float scale, string featureColumnName, string labelColumnName)
    {
        if (!(float.IsFinite(scale) && scale > 0))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The pixel scale must be a positive number (1/255 gives 0..1, 1 the raw bytes).");
        _images = IdxFile.Open(imagesPath, IdxFile.ImagesMagic);
        _labels = labelsPath is null ? null : IdxFile.Open(labelsPath, IdxFile.LabelsMagic);
        if (_labels is not null && _labels.Count != _images.Count)
            throw new Data.DataFormatException(labelsPath!, "byte offset 4 (item count)",
                $"the labels file holds {_labels.Count:N0} labels but the images file '{imagesPath}' holds {_images.Count:N0} images.",
                "Pair the files of the same split (train-images with train-labels, t10k-images with t10k-labels).");
        _scale = scale;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(featureColumnName, new VectorDataViewType(NumberDataViewType.Single, _images.ItemSize));
        if (_labels is not null) builder.AddColumn(labelColumnName, NumberDataViewType.Single);
        Schema = builder.ToSchema();
        _data = new Lazy<(byte[], byte[]?)>(() => (_images.ReadData(), _labels?.ReadData()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public bool CanShuffle => false;
    public DataViewSchema Schema { get; }
    public long? GetRowCount() => _images.Count;

    /// <summary>True when <paramref name="column"/> is this view's feature column.</summary>
    internal bool IsFeatureColumn(DataViewSchema.Column column) => column.Index == 0 && ReferenceEquals(Schema[0].Type, column.Type) && Schema[0].Name == column.Name;

    /// <summary>
    /// Scales the pixels of up to <paramref name="count"/> images from row <paramref name="first"/> into
    /// <paramref name="destination"/>, row-major, and returns how many images it wrote (0 past the end): a whole batch
    /// in one pass, where a cursor hands out one row per getter call.
    /// </summary>
    internal int CopyFeatures(long first, int count, Span<float> destination)
    {
        int n = (int)Math.Clamp(_images.Count - first, 0, count);
        if (n == 0) return 0;
        int size = _images.ItemSize;
        ByteScaling.Scale(_data.Value.Pixels.AsSpan(checked((int)(first * size)), n * size), destination[..(n * size)], _scale);
        return n;
    }

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(IdxDataView view, HashSet<int> active) : DataViewRowCursor
    {
        private readonly int _rows = view._images.Count;
        private readonly int _size = view._images.ItemSize;
        private long _position = -1;

        public override long Position => _position;
        public override long Batch => 0;
        public override DataViewSchema Schema => view.Schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override bool MoveNext()
        {
            if (_position + 1 >= _rows) { _position = _rows; return false; }
            if (_position < 0) _ = view._data.Value;   // read the files on first use, not when the view is made
            _position++;
            return _position < _rows;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was made.");
            Delegate getter = column.Index == 0
                ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, _size);
                    ByteScaling.Scale(view._data.Value.Pixels.AsSpan(checked((int)_position * _size), _size), editor.Values, view._scale);
                    value = editor.Commit();
                })
                : (ValueGetter<float>)((ref float value) => value = view._data.Value.Labels![_position]);
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }
    }
}

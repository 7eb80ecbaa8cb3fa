using System.Globalization;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Idx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Bridge;

/// <summary>
/// Reads a known-size <c>Single</c> vector column of a data view into dense, row-major batches (a scorer's input
/// buffer), checking that every value is finite. An IDX view is read straight from its bytes, a whole batch per call;
/// any other view through one sequential ML.NET cursor, a row at a time.
/// </summary>
internal abstract class FeatureBatchReader : IDisposable
{
    protected FeatureBatchReader(DataViewSchema.Column column, int size)
    {
        Column = column;
        Size = size;
    }

    /// <summary>The column read.</summary>
    public DataViewSchema.Column Column { get; }

    /// <summary>Floats per row.</summary>
    public int Size { get; }

    /// <summary>Rows read so far.</summary>
    public long RowsRead { get; protected set; }

    /// <summary>
    /// The text of <c>nameColumn</c> for each row of the last <see cref="Read"/> (e.g. the image path of each row), when
    /// the reader was opened with one; empty otherwise.
    /// </summary>
    public virtual IReadOnlyList<string> Names => [];

    /// <summary>
    /// Opens a reader of <paramref name="column"/>, which must be a <c>Vector&lt;Single, size&gt;</c> of <paramref name="data"/>;
    /// with <paramref name="nameColumn"/> (a text column) it also keeps each row's text in <see cref="Names"/>.
    /// </summary>
    public static FeatureBatchReader Open(IDataView data, DataViewSchema.Column column, int size, DataViewSchema.Column? nameColumn = null) =>
        nameColumn is null && data is IdxDataView idx && idx.IsFeatureColumn(column) ? new IdxReader(idx, column, size) : new CursorReader(data, column, size, nameColumn);

    /// <summary>
    /// Fills up to <paramref name="maxRows"/> rows of <paramref name="destination"/> and returns how many it filled
    /// (0 once the view has no row left).
    /// </summary>
    /// <exception cref="DataFormatException">A value is NaN or infinite; the message names the row and column.</exception>
    public abstract int Read(Span<float> destination, int maxRows);

    /// <inheritdoc />
    public virtual void Dispose() { }

    private sealed class IdxReader(IdxDataView view, DataViewSchema.Column column, int size) : FeatureBatchReader(column, size)
    {
        public override int Read(Span<float> destination, int maxRows)
        {
            // Pixels are bytes × a finite scale: nothing to check.
            int n = view.CopyFeatures(RowsRead, maxRows, destination);
            RowsRead += n;
            return n;
        }
    }

    private sealed class CursorReader : FeatureBatchReader
    {
        private readonly DataViewRowCursor _cursor;
        private readonly ValueGetter<VBuffer<float>> _getter;
        private readonly ValueGetter<ReadOnlyMemory<char>>? _nameGetter;
        private readonly List<string> _names = [];
        private VBuffer<float> _row;
        private ReadOnlyMemory<char> _name;

        public CursorReader(IDataView data, DataViewSchema.Column column, int size, DataViewSchema.Column? nameColumn) : base(column, size)
        {
            _cursor = data.GetRowCursor(nameColumn is { } n ? [column, n] : [column]);
            _getter = _cursor.GetGetter<VBuffer<float>>(column);
            if (nameColumn is { } named) _nameGetter = _cursor.GetGetter<ReadOnlyMemory<char>>(named);
        }

        public override IReadOnlyList<string> Names => _names;

        public override int Read(Span<float> destination, int maxRows)
        {
            int n = 0;
            _names.Clear();
            while (n < maxRows && _cursor.MoveNext())
            {
                _getter(ref _row);
                if (_nameGetter is not null)
                {
                    _nameGetter(ref _name);
                    _names.Add(_name.ToString());
                }
                var dst = destination.Slice(n * Size, Size);
                if (_row.IsDense) _row.GetValues().CopyTo(dst);
                else
                {
                    dst.Clear();
                    var v = _row.GetValues();
                    var idx = _row.GetIndices();
                    for (int i = 0; i < idx.Length; i++) dst[idx[i]] = v[i];
                }
                if (ByteScaling.FirstNonFinite(dst) is int j and >= 0)
                    throw new DataFormatException($"Row {RowsRead + n} of column '{Column.Name}' holds {dst[j].ToString(CultureInfo.InvariantCulture)} at index {j}; " +
                        "the model needs finite numbers. Fix or drop the row before scoring.");
                n++;
            }
            RowsRead += n;
            return n;
        }

        public override void Dispose() => _cursor.Dispose();
    }
}

using DlBook.Pipelines.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Bridge;

/// <summary>One sequential cursor over the feature and label columns, decoding each row into floats and a label.</summary>
internal sealed class RowReader : IDisposable
{
    private readonly DataViewRowCursor _cursor;
    private readonly ValueGetter<VBuffer<float>> _features;
    private readonly ValueGetter<uint>? _key;
    private readonly ValueGetter<bool>? _bool;
    private readonly ValueGetter<float>? _single;
    private readonly float[] _dense;
    private VBuffer<float> _buffer;
    private long _source = -1;
    private bool _peeked, _peekResult;

    public RowReader(IDataView data, BridgeColumns columns)
    {
        Columns = columns;
        FeatureShape = ColumnChecks.Feature(data.Schema, columns);
        FeatureSize = FeatureShape.Aggregate(1, (a, b) => a * b);
        Classes = ColumnChecks.Label(data.Schema, columns);
        var feature = data.Schema[columns.Feature];
        var needed = new List<DataViewSchema.Column> { feature };
        DataViewSchema.Column? label = columns.Kind != LabelKind.None && columns.Label is not null ? data.Schema[columns.Label] : null;
        if (label is { } l) needed.Add(l);
        _cursor = data.GetRowCursor(needed);
        _features = columns.SequenceLength is int length ? TokenSequences.Getter(_cursor, feature, length) : _cursor.GetGetter<VBuffer<float>>(feature);
        if (label is { } lab)
        {
            if (lab.Type is KeyDataViewType) { _key = _cursor.GetGetter<uint>(lab); BinaryAsClass = true; }
            else if (lab.Type == BooleanDataViewType.Instance) { _bool = _cursor.GetGetter<bool>(lab); BinaryAsClass = true; }
            else _single = _cursor.GetGetter<float>(lab);
        }
        _dense = new float[FeatureSize];
        long? count = data.GetRowCount();
        RemainingKnown = count ?? -1;
    }

    public BridgeColumns Columns { get; }
    public int[] FeatureShape { get; }
    public int FeatureSize { get; }
    /// <summary>Classes of a key label (0 otherwise).</summary>
    public int Classes { get; }
    /// <summary>True when a binary label is read as a class index (Boolean or key) rather than a float.</summary>
    public bool BinaryAsClass { get; }
    /// <summary>Rows the view says it has, or −1.</summary>
    public long RemainingKnown { get; }
    /// <summary>Rows skipped so far (missing label, NaN feature).</summary>
    public long Skipped { get; private set; }
    public long SourceRow => _source;
    public long NextSourceRow => _source + 1;
    public ReadOnlySpan<float> Features => _buffer.IsDense ? _buffer.GetValues() : _dense;
    public uint Class { get; private set; }
    public float Target { get; private set; }
    public bool RowIsComplete { get; private set; }

    public bool PeekMore()
    {
        if (!_peeked) { _peekResult = _cursor.MoveNext(); _peeked = true; }
        return _peekResult;
    }

    public bool MoveNext()
    {
        bool has = _peeked ? _peekResult : _cursor.MoveNext();
        _peeked = false;
        if (!has) return false;
        _source++;
        _features(ref _buffer);
        if (_buffer.Length != FeatureSize)
            throw new SchemaException($"{Columns.Reader}: row {_source} of feature column '{Columns.Feature}' has {_buffer.Length} values; the column type says {FeatureSize}.");
        var values = _buffer.GetValues();
        if (!_buffer.IsDense)
        {
            Array.Clear(_dense);
            var indices = _buffer.GetIndices();
            for (int i = 0; i < indices.Length; i++) _dense[indices[i]] = values[i];
        }
        RowIsComplete = !ByteScaling.HasNaN(Features) && ReadLabel();
        if (!RowIsComplete) Skipped++;
        return true;
    }

    private bool ReadLabel()
    {
        if (_key is not null)
        {
            uint k = 0;
            _key(ref k);
            if (k == 0) return false;
            if (k > Classes)
                throw new DataFormatException($"{Columns.Reader}: row {_source} of label column '{Columns.Label}' holds key {k}, outside its type's 1..{Classes}.");
            Class = k - 1;
            return true;
        }
        if (_bool is not null)
        {
            bool b = false;
            _bool(ref b);
            Class = b ? 1u : 0u;
            return true;
        }
        if (_single is not null)
        {
            float v = 0;
            _single(ref v);
            if (float.IsNaN(v)) return false;
            if (Columns.Kind == LabelKind.Binary && v is not (0f or 1f))
                throw new DataFormatException($"{Columns.Reader} (binary): row {_source} of label column '{Columns.Label}' holds {v}; a binary label is 0 or 1 (or a Boolean).");
            if (!float.IsFinite(v))
                throw new DataFormatException($"{Columns.Reader}: row {_source} of label column '{Columns.Label}' holds {v}; the target must be finite.");
            Target = v;
        }
        return true;
    }

    public void Dispose() => _cursor.Dispose();
}

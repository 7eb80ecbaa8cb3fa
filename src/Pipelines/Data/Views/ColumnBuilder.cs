namespace DlBook.Pipelines.Data.Views;

/// <summary>Appends batches of one column and builds a <see cref="ColumnStore"/> (for caching and shuffling streamed views).</summary>
internal abstract class ColumnBuilder
{
    public abstract void Append(ColumnData data);
    public abstract ColumnStore Build();

    public static ColumnBuilder For(string name, ColumnType type) => type switch
    {
        ScalarType => new FloatBuilder(1),
        VectorType v => new FloatBuilder(v.Size),
        KeyType => new KeyBuilder(),
        TextType => new TextBuilder(),
        SequenceType s => new SequenceBuilder(s.ElementShape.Aggregate(1, (a, b) => a * b)),
        ImageType i => new ImageBuilder(i),
        _ => throw new NotSupportedException($"Column '{name}' of type {type.Describe()} cannot be cached."),
    };

    private sealed class FloatBuilder(int rowSize) : ColumnBuilder
    {
        private readonly List<float> _values = [];
        private int _rows;
        public override void Append(ColumnData data)
        {
            var f = (FloatColumnData)data;
            _values.AddRange(f.Values.AsSpan(0, f.RowCount * f.RowSize));
            _rows += f.RowCount;
        }
        public override ColumnStore Build() => new FloatStore(_values.ToArray(), _rows, rowSize);
    }

    private sealed class KeyBuilder : ColumnBuilder
    {
        private readonly List<uint> _keys = [];
        public override void Append(ColumnData data)
        {
            var k = (KeyColumnData)data;
            _keys.AddRange(k.Keys.AsSpan(0, k.RowCount));
        }
        public override ColumnStore Build() => new KeyStore(_keys.ToArray(), _keys.Count);
    }

    private sealed class TextBuilder : ColumnBuilder
    {
        private readonly List<string> _values = [];
        public override void Append(ColumnData data) => _values.AddRange(((TextColumnData)data).Values);
        public override ColumnStore Build() => new TextStore(_values.ToArray());
    }

    private sealed class SequenceBuilder(int elementSize) : ColumnBuilder
    {
        private readonly List<float> _values = [];
        private readonly List<int> _offsets = [0];
        public override void Append(ColumnData data)
        {
            var s = (SequenceColumnData)data;
            int baseOffset = _offsets[^1];
            for (int r = 0; r < s.RowCount; r++)
            {
                _values.AddRange(s.Values.AsSpan(s.Offsets[r] * elementSize, s.Length(r) * elementSize));
                _offsets.Add(baseOffset + s.Offsets[r + 1] - s.Offsets[0]);
            }
        }
        public override ColumnStore Build() => new SequenceStore(_values.ToArray(), _offsets.ToArray(), elementSize);
    }

    private sealed class ImageBuilder(ImageType type) : ColumnBuilder
    {
        private readonly List<byte> _pixels = [];
        private int _rows, _h = type.Height, _w = type.Width, _c = type.Channels;
        public override void Append(ColumnData data)
        {
            var i = (ImageColumnData)data;
            (_h, _w, _c) = (i.Height, i.Width, i.Channels);
            _pixels.AddRange(i.Pixels.AsSpan(0, i.RowCount * i.Height * i.Width * i.Channels));
            _rows += i.RowCount;
        }
        public override ColumnStore Build() => new ImageStore(_pixels.ToArray(), _rows, _h, _w, _c);
    }
}

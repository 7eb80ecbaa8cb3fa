using DlBook.Pipelines.Data;

namespace DlBook.Export.Tests.Support;

/// <summary>A data view over arrays: one float vector column (and optionally a key label) — the loaders' output shape.</summary>
internal sealed class InMemoryDataView : IDataView
{
    private readonly float[] _features;
    private readonly uint[]? _labels;
    private readonly int _rows, _size;
    private readonly string _column;

    public InMemoryDataView(float[] features, int rows, int size, uint[]? labels = null, string column = "Features", int classes = 10)
    {
        _features = features;
        _rows = rows;
        _size = size;
        _labels = labels;
        _column = column;
        var cols = new List<DataColumn> { new(column, new VectorType([size])) };
        if (labels is not null) cols.Add(new DataColumn("Label", new KeyType(classes, null)));
        Schema = new DataSchema(cols);
    }

    public DataSchema Schema { get; }
    public long? RowCount => _rows;
    public int BatchesServed { get; private set; }

    public IEnumerable<DataBatch> GetBatches(BatchOptions options)
    {
        for (int start = 0; start < _rows; start += options.BatchSize)
        {
            int n = Math.Min(options.BatchSize, _rows - start);
            var cols = new Dictionary<string, ColumnData>
            {
                [_column] = new FloatColumnData(_features.AsSpan(start * _size, n * _size).ToArray(), n, _size),
            };
            if (_labels is not null) cols["Label"] = new KeyColumnData(_labels.AsSpan(start, n).ToArray(), n);
            BatchesServed++;
            yield return new DataBatch(n, cols, start);
        }
    }
}

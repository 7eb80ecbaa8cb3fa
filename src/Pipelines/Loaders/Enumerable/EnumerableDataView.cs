using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Mapping;
using DlBook.Pipelines.Data.Views;

namespace DlBook.Pipelines.Loaders.Enumerable;

/// <summary>An <see cref="IEnumerable{T}"/> as a view: enumerated afresh for every pass, columns from T's public members.</summary>
internal sealed class EnumerableDataView<T> : StreamingDataView where T : class
{
    private readonly IEnumerable<T> _rows;
    private readonly Dictionary<string, MemberColumn> _members;

    public EnumerableDataView(IEnumerable<T> rows)
    {
        _rows = rows;
        Schema = RowTypeMap.SchemaFor(typeof(T));
        _members = RowTypeMap.For(typeof(T)).Where(m => m.CanRead).ToDictionary(m => m.ColumnName);
    }

    public override DataSchema Schema { get; }

    public override long? RowCount => _rows switch
    {
        ICollection<T> c => c.Count,
        IReadOnlyCollection<T> r => r.Count,
        _ => base.RowCount,
    };

    protected override IEnumerable<DataBatch> ReadBatches(int batchSize, string[] columns)
    {
        var buffer = new List<T>(batchSize);
        long first = 0;
        foreach (var row in _rows)
        {
            buffer.Add(row ?? throw new DataFormatException($"Row {first + buffer.Count} of the enumerable of {typeof(T).Name} is null; remove null rows."));
            if (buffer.Count == batchSize)
            {
                yield return Build(buffer, columns, first);
                first += buffer.Count;
                buffer = new List<T>(batchSize);
            }
        }
        if (buffer.Count > 0) yield return Build(buffer, columns, first);
    }

    private DataBatch Build(List<T> rows, string[] columns, long first)
    {
        int n = rows.Count;
        var data = new Dictionary<string, ColumnData>(columns.Length);
        foreach (var name in columns)
        {
            var m = _members[name];
            var type = Schema[name].Type;
            switch (type)
            {
                case ScalarType:
                    var s = new float[n];
                    for (int i = 0; i < n; i++) s[i] = MemberColumn.ToFloat(m.GetValue(rows[i]));
                    data[name] = new FloatColumnData(s, n, 1);
                    break;
                case VectorType v:
                    int size = v.Size;
                    var values = new float[n * size];
                    for (int i = 0; i < n; i++)
                    {
                        var dst = values.AsSpan(i * size, size);
                        switch (m.GetValue(rows[i]))
                        {
                            case float[] f when f.Length == size: f.CopyTo(dst); break;
                            case double[] d when d.Length == size: for (int j = 0; j < size; j++) dst[j] = (float)d[j]; break;
                            case Array a:
                                throw new DataFormatException($"Row {first + i}: {m.Describe(typeof(T))} has {a.Length} elements but [VectorType] says {size}. Fix the data or the attribute.");
                            default:
                                throw new DataFormatException($"Row {first + i}: {m.Describe(typeof(T))} is null; a vector column needs {size} values in every row.");
                        }
                    }
                    data[name] = new FloatColumnData(values, n, size);
                    break;
                case TextType:
                    var t = new string[n];
                    for (int i = 0; i < n; i++) t[i] = (string?)m.GetValue(rows[i]) ?? "";
                    data[name] = new TextColumnData(t);
                    break;
                case KeyType k:
                    var keys = new uint[n];
                    for (int i = 0; i < n; i++)
                    {
                        keys[i] = (uint)m.GetValue(rows[i])!;
                        if (keys[i] >= k.Count)
                            throw new DataFormatException($"Row {first + i}: {m.Describe(typeof(T))} = {keys[i]} is outside [KeyType({k.Count})] (keys are 0-based class indices 0..{k.Count - 1}).");
                    }
                    data[name] = new KeyColumnData(keys, n);
                    break;
            }
        }
        return new DataBatch(n, data, first);
    }
}

namespace DlBook.Pipelines.Data.Mapping;

/// <summary>Copies rows of a batch into objects of a row class, member by member (CreateEnumerable, PredictionEngine).</summary>
internal sealed class RowReader<T> where T : class
{
    private readonly (MemberColumn Member, DataColumn Column)[] _members;

    /// <summary>Binds every writable member of T to a column of <paramref name="schema"/>; a member with no column is an error.</summary>
    public RowReader(DataSchema schema)
    {
        var list = new List<(MemberColumn, DataColumn)>();
        foreach (var m in RowTypeMap.For(typeof(T)).Where(m => m.CanWrite))
        {
            var column = schema.GetColumnOrNull(m.ColumnName)
                ?? throw new SchemaException($"{m.Describe(typeof(T))} reads column '{m.ColumnName}', which the data does not have. Available: {string.Join(", ", schema.Select(c => $"{c.Name} ({c.Type.Describe()})"))}. Rename the member or add [ColumnName(\"…\")].");
            CheckCompatible(m, column);
            list.Add((m, column));
        }
        _members = list.ToArray();
    }

    public IReadOnlyCollection<string> Columns => _members.Select(m => m.Column.Name).ToArray();

    public void Read(DataBatch batch, int row, T target)
    {
        foreach (var (m, column) in _members)
            m.SetValue(target, Value(m, column, batch.Columns[column.Name], row, m.GetValue(target)));
    }

    private static object? Value(MemberColumn m, DataColumn column, ColumnData data, int row, object? current)
    {
        var t = m.MemberType;
        switch (data)
        {
            case KeyColumnData k:
                uint key = k.Keys[row];
                if (t == typeof(uint)) return key;
                if (t == typeof(string))
                    return ((KeyType)column.Type).LabelNames is { } names ? names[(int)key] : key.ToString();
                return MemberColumn.FromFloat(key, t);
            case TextColumnData s:
                return s.Values[row];
            case FloatColumnData f:
                if (t == typeof(float[]) || t == typeof(double[]))
                {
                    var src = f.Row(row);
                    if (t == typeof(double[]))
                    {
                        var d = current is double[] cd && cd.Length == src.Length ? cd : new double[src.Length];
                        for (int i = 0; i < src.Length; i++) d[i] = src[i];
                        return d;
                    }
                    var a = current is float[] ca && ca.Length == src.Length ? ca : new float[src.Length];
                    src.CopyTo(a);
                    return a;
                }
                if (t == typeof(string)) return f.Values[row * f.RowSize].ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                return MemberColumn.FromFloat(f.Values[row * f.RowSize], t);
            default:
                throw new SchemaException($"Column '{column.Name}' ({column.Type.Describe()}) cannot be copied into a member of type {t.Name}.");
        }
    }

    private static void CheckCompatible(MemberColumn m, DataColumn c)
    {
        var t = m.MemberType;
        bool ok = c.Type switch
        {
            ScalarType => MemberColumn.IsScalar(t) || t == typeof(string) || t == typeof(float[]) || t == typeof(double[]),
            VectorType => t == typeof(float[]) || t == typeof(double[]),
            KeyType => MemberColumn.IsScalar(t) || t == typeof(string),
            TextType => t == typeof(string),
            _ => false,
        };
        if (!ok)
            throw new SchemaException($"{m.Describe(typeof(T))} is {t.Name} but column '{c.Name}' is {c.Type.Describe()}. Use {Suggest(c.Type)}.");
    }

    private static string Suggest(ColumnType type) => type switch
    {
        ScalarType => "float",
        VectorType => "float[]",
        KeyType => "uint (class index) or string (label name)",
        TextType => "string",
        _ => "a column type the reader supports (scalar, vector, key, text)",
    };
}

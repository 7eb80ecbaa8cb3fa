using System.Globalization;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Views;

namespace DlBook.Pipelines.Loaders.Text;

/// <summary>A delimited text file as a view, parsed batch by batch on every pass (only a shuffled pass caches it).</summary>
internal sealed class TextLoaderDataView : StreamingDataView
{
    private readonly string _path;
    private readonly TextLoaderOptions _options;
    private readonly char _separator;
    private readonly bool _quoting;
    private readonly Dictionary<string, TextLoaderColumn> _columns;

    public TextLoaderDataView(string path, TextLoaderOptions options)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Text file '{path}' not found. Check the path.", path);
        if (options.Columns is null || options.Columns.Count == 0)
            throw new ArgumentException($"{path}: TextLoaderOptions.Columns is empty; say which fields to read, e.g. new TextLoaderColumn(\"Label\", DataKind.Single, 0).");
        _path = path;
        _options = options;
        _separator = options.Separator ?? DetectSeparator(path);
        _quoting = options.AllowQuoting ?? _separator != '\t';
        _columns = new Dictionary<string, TextLoaderColumn>();
        var schema = new List<DataColumn>();
        foreach (var c in options.Columns)
        {
            if (!_columns.TryAdd(c.Name, c)) throw new ArgumentException($"{path}: column '{c.Name}' is defined twice.");
            if (c.Kind == DataKind.Key && c.KeyCount is not > 0)
                throw new ArgumentException($"{path}: key column '{c.Name}' needs KeyCount (the number of classes).");
            schema.Add(new DataColumn(c.Name, c.Kind switch
            {
                DataKind.String => TextType.Instance,
                DataKind.Key => new KeyType(c.KeyCount!.Value, null),
                _ when c.MaxIndex > c.MinIndex => new VectorType([c.MaxIndex - c.MinIndex + 1]),
                _ => ScalarType.Instance,
            }));
        }
        Schema = new DataSchema(schema);
    }

    public override DataSchema Schema { get; }

    /// <summary>The separator in use (given or detected).</summary>
    public char Separator => _separator;

    protected override IEnumerable<DataBatch> ReadBatches(int batchSize, string[] columns)
    {
        var cols = columns.Select(c => _columns[c]).ToArray();
        using var text = new StreamReader(_path, detectEncodingFromByteOrderMarks: true);
        var reader = new DelimitedRecordReader(text, _path, _separator, _quoting, _options.TrimWhitespace);
        var fields = new List<string>();
        if (_options.HasHeader) reader.Read(fields);
        long first = 0;
        while (true)
        {
            var batch = new BatchBuffers(cols, batchSize);
            int n = 0;
            while (n < batchSize && reader.Read(fields))
            {
                batch.Add(n, fields, reader.RecordLine, _path);
                n++;
            }
            if (n == 0) yield break;
            yield return batch.ToBatch(n, first);
            first += n;
            if (n < batchSize) yield break;
        }
    }

    private static char DetectSeparator(string path)
    {
        switch (Path.GetExtension(path).ToLowerInvariant())
        {
            case ".csv": return ',';
            case ".tsv" or ".tab": return '\t';
        }
        using var reader = new StreamReader(path);
        var line = reader.ReadLine() ?? "";
        return line.Contains('\t') ? '\t' : line.Contains(';') && !line.Contains(',') ? ';' : ',';
    }

    /// <summary>The buffers of one batch being filled row by row.</summary>
    private sealed class BatchBuffers
    {
        private readonly TextLoaderColumn[] _cols;
        private readonly object[] _buffers;

        public BatchBuffers(TextLoaderColumn[] cols, int batchSize)
        {
            _cols = cols;
            _buffers = cols.Select(c => c.Kind switch
            {
                DataKind.String => (object)new string[batchSize],
                DataKind.Key => new uint[batchSize],
                _ => new float[batchSize * (c.MaxIndex - c.MinIndex + 1)],
            }).ToArray();
        }

        public void Add(int row, List<string> fields, long line, string path)
        {
            for (int i = 0; i < _cols.Length; i++)
            {
                var c = _cols[i];
                if (c.MaxIndex >= fields.Count)
                    throw new DataFormatException(path, $"line {line}, column '{c.Name}' (field {c.MaxIndex})",
                        $"the row has {fields.Count} field(s) but column '{c.Name}' reads field {c.MaxIndex} (0-based).",
                        "Fix the row, or check the separator and the column indices.");
                switch (_buffers[i])
                {
                    case string[] s: s[row] = fields[c.MinIndex]; break;
                    case uint[] k: k[row] = ParseKey(fields[c.MinIndex], c, line, path); break;
                    case float[] f:
                        int width = c.MaxIndex - c.MinIndex + 1;
                        for (int j = 0; j < width; j++)
                            f[row * width + j] = c.Kind == DataKind.Boolean
                                ? ParseBool(fields[c.MinIndex + j], c, c.MinIndex + j, line, path)
                                : ParseFloat(fields[c.MinIndex + j], c, c.MinIndex + j, line, path);
                        break;
                }
            }
        }

        public DataBatch ToBatch(int n, long first)
        {
            var data = new Dictionary<string, ColumnData>(_cols.Length);
            for (int i = 0; i < _cols.Length; i++)
                data[_cols[i].Name] = _buffers[i] switch
                {
                    string[] s => new TextColumnData(n == s.Length ? s : s[..n]),
                    uint[] k => new KeyColumnData(k, n),
                    float[] f => new FloatColumnData(f, n, _cols[i].MaxIndex - _cols[i].MinIndex + 1),
                    _ => throw new InvalidOperationException(),
                };
            return new DataBatch(n, data, first);
        }

        private static float ParseFloat(string text, TextLoaderColumn c, int field, long line, string path)
        {
            var t = text.AsSpan().Trim();
            if (t.IsEmpty || t.Equals("?", StringComparison.Ordinal)) return float.NaN;
            if (float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
            throw new DataFormatException(path, $"line {line}, column '{c.Name}' (field {field})",
                $"'{Shorten(text)}' is not a number.",
                "Fix the row, load this field as DataKind.String, or check HasHeader and the separator.");
        }

        private static float ParseBool(string text, TextLoaderColumn c, int field, long line, string path)
        {
            var t = text.Trim();
            if (t is "1" || t.Equals("true", StringComparison.OrdinalIgnoreCase)) return 1;
            if (t is "0" || t.Equals("false", StringComparison.OrdinalIgnoreCase)) return 0;
            throw new DataFormatException(path, $"line {line}, column '{c.Name}' (field {field})",
                $"'{Shorten(text)}' is not a boolean (true/false/1/0).", "Fix the row or load this field as DataKind.String.");
        }

        private static uint ParseKey(string text, TextLoaderColumn c, long line, string path)
        {
            if (uint.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k < c.KeyCount)
                return k;
            throw new DataFormatException(path, $"line {line}, column '{c.Name}' (field {c.MinIndex})",
                $"'{Shorten(text)}' is not a class index in 0..{c.KeyCount - 1}.",
                "Fix the row, raise KeyCount, or load it as DataKind.String and use Conversion.MapValueToKey.");
        }

        private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
    }
}

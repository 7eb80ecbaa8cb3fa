using System.Globalization;
using System.Text;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Catalogs;

public sealed partial class DataCatalog
{
    /// <summary>
    /// Writes columns of a view to a CSV file (ML.NET's SaveAsText): a header row, then one row per data row;
    /// vector columns expand to <c>Name_0 … Name_n</c> (or <c>Name_&lt;label&gt;</c> when a later key column names the
    /// classes), key columns are written as their label names when known. The file is written under a temporary
    /// name and renamed when complete, so a failure leaves nothing at <paramref name="path"/>.
    /// </summary>
    /// <returns>The number of rows written.</returns>
    public long SaveAsText(IDataView data, string path, IReadOnlyList<string> columns, bool includeRowNumber = true, int batchSize = 1024)
    {
        var cols = columns.Select(c => data.Schema[c]).ToArray();
        var labelNames = cols.Select(c => c.Type as KeyType).FirstOrDefault(k => k?.LabelNames is not null)?.LabelNames;
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        long rows = 0;
        int fields = 0;
        try
        {
            using (var w = new StreamWriter(tmp, false, new UTF8Encoding(false), 1 << 16))
            {
                var header = new List<string>();
                if (includeRowNumber) header.Add("Row");
                foreach (var c in cols)
                {
                    if (c.Type is VectorType v)
                        header.AddRange(Enumerable.Range(0, v.Size).Select(i =>
                            $"{c.Name}_{(labelNames is not null && labelNames.Count == v.Size ? labelNames[i] : i.ToString(CultureInfo.InvariantCulture))}"));
                    else header.Add(c.Name);
                }
                w.Write(string.Join(",", header.Select(Quote)));
                w.Write('\n');
                var sb = new StringBuilder();
                foreach (var batch in data.GetBatches(new BatchOptions { BatchSize = batchSize, Columns = columns.ToArray() }))
                {
                    for (int r = 0; r < batch.RowCount; r++, rows++)
                    {
                        sb.Clear();
                        fields = 0;
                        if (includeRowNumber) Field(sb).Append(rows.ToString(CultureInfo.InvariantCulture));
                        foreach (var c in cols)
                        {
                            var d = batch.Columns[c.Name];
                            switch (d)
                            {
                                case FloatColumnData f:
                                    foreach (var x in f.Row(r)) Field(sb).Append(x.ToString("R", CultureInfo.InvariantCulture));
                                    break;
                                case KeyColumnData k:
                                    var names = (c.Type as KeyType)?.LabelNames;
                                    uint key = k.Keys[r];
                                    Field(sb).Append(names is not null && key < names.Count ? Quote(names[(int)key]) : key.ToString(CultureInfo.InvariantCulture));
                                    break;
                                case TextColumnData t:
                                    Field(sb).Append(Quote(t.Values[r]));
                                    break;
                                default:
                                    throw new SchemaException($"Column '{c.Name}' ({c.Type.Describe()}) cannot be written as text; choose scalar, vector, key or text columns.");
                            }
                        }
                        sb.Append('\n');
                        w.Write(sb);
                    }
                }
            }
            File.Move(tmp, full, overwrite: true);
            return rows;
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }

        // A comma before every field but the first of the row (an empty first text field must still count).
        StringBuilder Field(StringBuilder sb) => fields++ == 0 ? sb : sb.Append(',');
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}

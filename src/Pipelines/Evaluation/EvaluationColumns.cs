using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Evaluation;

/// <summary>Reads the label/score/prediction columns an evaluator needs, whatever their representation.</summary>
internal static class EvaluationColumns
{
    /// <summary>All values of the requested columns, concatenated over batches.</summary>
    public static Dictionary<string, List<ColumnData>> Read(IDataView data, params string[] columns)
    {
        var result = columns.ToDictionary(c => c, _ => new List<ColumnData>());
        foreach (var batch in data.GetBatches(new BatchOptions { BatchSize = 4096, Columns = columns }))
            foreach (var c in columns) result[c].Add(batch.Columns[c]);
        return result;
    }

    /// <summary>Class indices from a key column or a scalar holding whole numbers 0..classes−1.</summary>
    public static uint[] Classes(List<ColumnData> parts, string column, int classes, string evaluator)
    {
        var result = new List<uint>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case KeyColumnData k: result.AddRange(k.Keys.AsSpan(0, k.RowCount)); break;
                case FloatColumnData f:
                    for (int r = 0; r < f.RowCount; r++)
                    {
                        float v = f.Values[r * f.RowSize];
                        if (!(v >= 0 && v < classes && v == MathF.Floor(v)))
                            throw new DataFormatException($"{evaluator}: column '{column}' holds {v} at row {result.Count}, which is not a class index in 0..{classes - 1}. Map labels to keys with Conversion.MapValueToKey.");
                        result.Add((uint)v);
                    }
                    break;
                default: throw new SchemaException($"{evaluator}: column '{column}' must be a key or a Single scalar.");
            }
        }
        foreach (var (k, i) in result.Select((k, i) => (k, i)))
            if (k >= classes)
                throw new DataFormatException($"{evaluator}: column '{column}' holds class {k} at row {i}, but the scores have only {classes} classes.");
        return result.ToArray();
    }

    /// <summary>The values of a float column (scalars, or element <paramref name="element"/> of each row).</summary>
    public static float[] Floats(List<ColumnData> parts, string column, string evaluator, int element = 0)
    {
        var result = new List<float>();
        foreach (var part in parts)
        {
            if (part is not FloatColumnData f) throw new SchemaException($"{evaluator}: column '{column}' must be a Single scalar.");
            for (int r = 0; r < f.RowCount; r++) result.Add(f.Values[r * f.RowSize + element]);
        }
        return result.ToArray();
    }

    /// <summary>Booleans from a Key(2) column (key 1 = true) or a scalar (non-zero = true).</summary>
    public static bool[] Booleans(List<ColumnData> parts, string column, string evaluator)
    {
        var result = new List<bool>();
        foreach (var part in parts)
            switch (part)
            {
                case KeyColumnData k:
                    for (int r = 0; r < k.RowCount; r++) result.Add(k.Keys[r] == 1);
                    break;
                case FloatColumnData f:
                    for (int r = 0; r < f.RowCount; r++)
                    {
                        float v = f.Values[r * f.RowSize];
                        if (float.IsNaN(v))
                            throw new DataFormatException($"{evaluator}: column '{column}' is NaN at row {result.Count}; remove rows with missing labels.");
                        result.Add(v != 0);
                    }
                    break;
                default: throw new SchemaException($"{evaluator}: column '{column}' must be a Key(2) or a Single scalar 0/1.");
            }
        return result.ToArray();
    }

    public static float[] Concat(List<ColumnData> parts, string column, string evaluator)
    {
        var result = new List<float>();
        foreach (var part in parts)
        {
            if (part is not FloatColumnData f) throw new SchemaException($"{evaluator}: column '{column}' must be a Single vector.");
            result.AddRange(f.Values.AsSpan(0, f.RowCount * f.RowSize));
        }
        return result.ToArray();
    }
}

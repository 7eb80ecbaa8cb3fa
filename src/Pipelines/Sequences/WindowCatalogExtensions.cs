using DlBook.Pipelines.Data;
using Microsoft.ML.Data;

// In ML.NET's namespace, as ML.NET's own extension packages declare theirs: `using Microsoft.ML;` finds them.
namespace Microsoft.ML;

/// <summary>Sliding windows over a time series (ML.NET has none, and Microsoft.ML.TimeSeries is not served here).</summary>
public static class WindowCatalogExtensions
{
    /// <summary>
    /// Turns the <c>Single</c> column <paramref name="valueColumn"/> of <paramref name="series"/>, read in row order,
    /// into supervised rows: <c>Features</c>, a <c>Vector&lt;Single, window, 1&gt;</c> of values t … t+window−1, and
    /// <c>Label</c> (Single), the value at t+window−1+<paramref name="horizon"/>, for t = 0, stride, 2·stride, … as far as
    /// the series reaches. A NaN value is an error naming its row.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="series">The series, one value per row, in time order.</param>
    /// <param name="valueColumn">The value column (Single).</param>
    /// <param name="window">Values per input window (at least 1).</param>
    /// <param name="horizon">Steps ahead of the window's last value to predict (1: the next value).</param>
    /// <param name="stride">Steps between the starts of consecutive windows.</param>
    /// <exception cref="SchemaException">The column is missing or not Single.</exception>
    /// <exception cref="DataFormatException">A value is NaN or infinite, or the series is shorter than one window plus the horizon.</exception>
    public static IDataView CreateWindows(this DataOperationsCatalog catalog, IDataView series, string valueColumn, int window, int horizon = 1, int stride = 1)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(series);
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, $"The window must hold at least 1 value (got {window}).");
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, $"The horizon must be at least 1 step (got {horizon}).");
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"The stride must be at least 1 step (got {stride}).");
        var col = series.Schema.GetColumnOrNull(valueColumn)
            ?? throw new SchemaException($"CreateWindows reads column '{valueColumn}', which the data does not have. Available: {string.Join(", ", series.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        if (col.Type != NumberDataViewType.Single)
            throw new SchemaException($"CreateWindows reads column '{valueColumn}' as Single, but it is {DlBook.Pipelines.Bridge.ColumnChecks.Describe(col.Type)}. " +
                $"Convert it with mlContext.Transforms.Conversion.ConvertType(\"{valueColumn}\", outputKind: DataKind.Single).");
        var values = new List<float>();
        using (var cursor = series.GetRowCursor([col]))
        {
            var get = cursor.GetGetter<float>(col);
            float v = 0;
            while (cursor.MoveNext())
            {
                get(ref v);
                if (!float.IsFinite(v))
                    throw new DataFormatException($"Row {values.Count} of column '{valueColumn}' holds {v}; a time series needs a number at every step. Fill or drop the gap first.");
                values.Add(v);
            }
        }
        if (values.Count < window + horizon)
            throw new DataFormatException($"Column '{valueColumn}' holds {values.Count} values, fewer than one window ({window}) plus the horizon ({horizon}). Use a shorter window.");
        var rows = new List<WindowRow>();
        for (int t = 0; t + window - 1 + horizon < values.Count; t += stride)
            rows.Add(new WindowRow { Features = values.GetRange(t, window).ToArray(), Label = values[t + window - 1 + horizon] });
        var schema = SchemaDefinition.Create(typeof(WindowRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, window, 1);
        return new MLContext().Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class WindowRow
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }
}

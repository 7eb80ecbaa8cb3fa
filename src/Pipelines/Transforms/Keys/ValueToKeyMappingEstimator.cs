using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Transforms.Keys;

/// <summary>Collects the distinct values of a scalar or text column and numbers them (ML.NET's ValueToKeyMappingEstimator).</summary>
public sealed class ValueToKeyMappingEstimator(string outputColumnName, string? inputColumnName = null,
    KeyOrdinality keyOrdinality = KeyOrdinality.ByValue) : IEstimator<ValueToKeyMappingTransformer>
{
    /// <summary>The key column written.</summary>
    public string OutputColumnName { get; } = outputColumnName;
    /// <summary>The column read.</summary>
    public string InputColumnName { get; } = inputColumnName ?? outputColumnName;
    /// <summary>How keys are numbered.</summary>
    public KeyOrdinality KeyOrdinality { get; } = keyOrdinality;

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        var type = inputSchema[InputColumnName].Type;
        if (type is not (ScalarType or TextType))
            throw new SchemaException($"MapValueToKey: column '{InputColumnName}' is {type.Describe()}; it needs a Single scalar or text column.");
        return inputSchema.With(new DataColumn(OutputColumnName, new KeyType(0, null)));
    }

    /// <inheritdoc />
    public ValueToKeyMappingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(input.Schema);
        var options = new BatchOptions { BatchSize = 4096, Columns = [InputColumnName] };
        if (input.Schema[InputColumnName].Type is TextType)
        {
            var seen = new List<string>();
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var batch in input.GetBatches(options))
                foreach (var v in batch.Get<TextColumnData>(InputColumnName).Values)
                    if (set.Add(v)) seen.Add(v);
            if (KeyOrdinality == KeyOrdinality.ByValue) seen.Sort(StringComparer.Ordinal);
            return new ValueToKeyMappingTransformer(OutputColumnName, InputColumnName, Checked(seen));
        }
        var numbers = new List<float>();
        var numberSet = new HashSet<float>();
        foreach (var batch in input.GetBatches(options))
        {
            var col = batch.Get<FloatColumnData>(InputColumnName);
            for (int r = 0; r < col.RowCount; r++)
            {
                float v = col.Values[r];
                if (float.IsNaN(v)) continue; // missing values get no key
                if (numberSet.Add(v)) numbers.Add(v);
            }
        }
        if (KeyOrdinality == KeyOrdinality.ByValue) numbers.Sort();
        return new ValueToKeyMappingTransformer(OutputColumnName, InputColumnName, Checked(numbers));
    }

    private List<T> Checked<T>(List<T> values) => values.Count > 0 ? values
        : throw new DataFormatException($"MapValueToKey: column '{InputColumnName}' has no values to build keys from. Fit on a non-empty view.");
}

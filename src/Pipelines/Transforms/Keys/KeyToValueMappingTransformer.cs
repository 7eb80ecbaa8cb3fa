using System.Globalization;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Normalization;

namespace DlBook.Pipelines.Transforms.Keys;

/// <summary>
/// Maps keys back to their label names (ML.NET's KeyToValueMappingTransformer). The output is a Single scalar when
/// every label name is a number (e.g. digits), text otherwise.
/// </summary>
public sealed class KeyToValueMappingTransformer(string outputColumnName, string? inputColumnName = null) : IPersistableTransformer
{
    /// <summary>The value column written.</summary>
    public string OutputColumnName { get; } = outputColumnName;
    /// <summary>The key column read.</summary>
    public string InputColumnName { get; } = inputColumnName ?? outputColumnName;
    /// <inheritdoc />
    public string Kind => "MapKeyToValue";

    /// <inheritdoc />
    /// <remarks>
    /// Before the steps ahead of it are fitted (an estimator chain checks its whole schema first), the key comes from an
    /// unfitted MapValueToKey or trainer: Key with 0 classes and no names yet. Its values are not known, so the output is
    /// reported as a Single scalar (the book's digit labels); the fitted transformer reports the real type.
    /// </remarks>
    public DataSchema GetOutputSchema(DataSchema inputSchema) =>
        inputSchema.With(new DataColumn(OutputColumnName,
            inputSchema[InputColumnName].Type is KeyType { Count: 0, LabelNames: null } || Numbers(inputSchema) is not null
                ? ScalarType.Instance : TextType.Instance));

    private IReadOnlyList<string> Names(DataSchema schema) => schema[InputColumnName].Type switch
    {
        KeyType { LabelNames: { } names } => names,
        KeyType => throw new SchemaException($"MapKeyToValue: key column '{InputColumnName}' has no label names to map back to. It must come from MapValueToKey (or a trainer that keeps the names)."),
        var t => throw new SchemaException($"MapKeyToValue: column '{InputColumnName}' is {t.Describe()}; it needs a key column."),
    };

    private float[]? Numbers(DataSchema schema)
    {
        var names = Names(schema);
        var values = new float[names.Count];
        for (int i = 0; i < values.Length; i++)
            if (!float.TryParse(names[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])) return null;
        return values;
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        var schema = GetOutputSchema(input.Schema);
        var names = Names(input.Schema);
        var numbers = Numbers(input.Schema);
        return new ColumnMapDataView(input, schema, OutputColumnName, [InputColumnName], batch =>
        {
            var keys = batch.Get<KeyColumnData>(InputColumnName);
            if (numbers is not null)
            {
                var f = new float[keys.RowCount];
                for (int r = 0; r < f.Length; r++) f[r] = keys.Keys[r] < numbers.Length ? numbers[keys.Keys[r]] : float.NaN;
                return new FloatColumnData(f, f.Length, 1);
            }
            var s = new string[keys.RowCount];
            for (int r = 0; r < s.Length; r++) s[r] = keys.Keys[r] < names.Count ? names[(int)keys.Keys[r]] : "";
            return new TextColumnData(s);
        });
    }

    /// <inheritdoc />
    public void Save(TransformerSaveContext context)
    {
        context.Settings["inputColumnName"] = InputColumnName;
        context.Settings["outputColumnName"] = OutputColumnName;
    }

    internal static ITransformer Load(TransformerLoadContext context) =>
        new KeyToValueMappingTransformer(NormalizerTransformer.RequiredString(context, "outputColumnName"),
            NormalizerTransformer.RequiredString(context, "inputColumnName"));
}

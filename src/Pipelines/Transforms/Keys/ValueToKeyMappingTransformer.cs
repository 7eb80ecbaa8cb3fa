using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Normalization;

namespace DlBook.Pipelines.Transforms.Keys;

/// <summary>
/// Maps the values of a scalar or text column to 0-based keys with the values as label names. A value not seen
/// when fitting fails with a <see cref="DataFormatException"/> naming it and the column.
/// </summary>
public sealed class ValueToKeyMappingTransformer : IPersistableTransformer
{
    private readonly Dictionary<float, uint>? _numbers;
    private readonly Dictionary<string, uint>? _texts;
    private readonly string[] _labelNames;
    private readonly float[]? _numericValues;

    /// <summary>A mapping of numeric values: <paramref name="values"/>[k] ↔ key k.</summary>
    public ValueToKeyMappingTransformer(string outputColumnName, string inputColumnName, IReadOnlyList<float> values)
    {
        (OutputColumnName, InputColumnName) = (outputColumnName, inputColumnName);
        _numericValues = values.ToArray();
        _numbers = new Dictionary<float, uint>();
        for (int k = 0; k < _numericValues.Length; k++)
            if (!_numbers.TryAdd(_numericValues[k], (uint)k)) throw new ArgumentException($"Value {_numericValues[k]} appears twice.");
        _labelNames = _numericValues.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>A mapping of text values: <paramref name="values"/>[k] ↔ key k.</summary>
    public ValueToKeyMappingTransformer(string outputColumnName, string inputColumnName, IReadOnlyList<string> values)
    {
        (OutputColumnName, InputColumnName) = (outputColumnName, inputColumnName);
        _texts = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (int k = 0; k < values.Count; k++)
            if (!_texts.TryAdd(values[k], (uint)k)) throw new ArgumentException($"Value '{values[k]}' appears twice.");
        _labelNames = values.ToArray();
    }

    /// <summary>The column read.</summary>
    public string InputColumnName { get; }
    /// <summary>The key column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>Whether the input is text (else numeric).</summary>
    public bool IsText => _texts is not null;
    /// <summary>The values in key order (label names of the output key type).</summary>
    public IReadOnlyList<string> LabelNames => _labelNames;
    /// <summary>The output key type.</summary>
    public KeyType KeyType => new(_labelNames.Length, _labelNames);
    /// <inheritdoc />
    public string Kind => "MapValueToKey";

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        var type = inputSchema[InputColumnName].Type;
        bool ok = IsText ? type is TextType : type is ScalarType;
        if (!ok)
            throw new SchemaException($"MapValueToKey: column '{InputColumnName}' is {type.Describe()}, but this mapping was fitted on {(IsText ? "text" : "a Single scalar")}.");
        return inputSchema.With(new DataColumn(OutputColumnName, KeyType));
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input) =>
        new ColumnMapDataView(input, GetOutputSchema(input.Schema), OutputColumnName, [InputColumnName], Map);

    private KeyColumnData Map(DataBatch batch)
    {
        var keys = new uint[batch.RowCount];
        if (_texts is not null)
        {
            var values = batch.Get<TextColumnData>(InputColumnName).Values;
            for (int r = 0; r < keys.Length; r++)
                keys[r] = _texts.TryGetValue(values[r], out var k) ? k : throw Unseen($"'{values[r]}'", batch, r);
        }
        else
        {
            var values = batch.Get<FloatColumnData>(InputColumnName);
            for (int r = 0; r < keys.Length; r++)
            {
                float v = values.Values[r];
                keys[r] = _numbers!.TryGetValue(v, out var k) ? k : throw Unseen(v.ToString("R", CultureInfo.InvariantCulture), batch, r);
            }
        }
        return new KeyColumnData(keys, keys.Length);
    }

    private DataFormatException Unseen(string value, DataBatch batch, int row) =>
        new($"MapValueToKey: column '{InputColumnName}' holds the value {value}{(batch.FirstRow >= 0 ? $" (row {batch.FirstRow + row})" : "")}, " +
            $"which was not in the data the mapping was fitted on (known: {string.Join(", ", _labelNames.Take(20))}{(_labelNames.Length > 20 ? ", …" : "")}). " +
            "Fit on data that holds every class, or remove rows with this value.");

    /// <inheritdoc />
    public void Save(TransformerSaveContext context)
    {
        context.Settings["inputColumnName"] = InputColumnName;
        context.Settings["outputColumnName"] = OutputColumnName;
        context.Settings["isText"] = IsText;
        if (IsText) context.Settings["values"] = new JsonArray(_labelNames.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        else context.Tensors["values"] = ((float[])_numericValues!.Clone(), [_numericValues.Length]);
    }

    internal static ITransformer Load(TransformerLoadContext context)
    {
        string output = NormalizerTransformer.RequiredString(context, "outputColumnName");
        string input = NormalizerTransformer.RequiredString(context, "inputColumnName");
        bool isText = context.Settings["isText"]?.GetValue<bool>() ?? false;
        if (!isText) return new ValueToKeyMappingTransformer(output, input, context.Tensor("values").Values);
        var values = context.Settings["values"] as JsonArray
            ?? throw new InvalidDataException($"{context.Source}: the values of MapValueToKey are missing; the model package is damaged.");
        return new ValueToKeyMappingTransformer(output, input, values.Select(v => v!.GetValue<string>()).ToArray());
    }
}

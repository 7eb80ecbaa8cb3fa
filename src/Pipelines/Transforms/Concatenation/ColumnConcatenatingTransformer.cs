using System.Text.Json.Nodes;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Normalization;

namespace DlBook.Pipelines.Transforms.Concatenation;

/// <summary>Joins Single scalar and vector columns, in the order given, into one vector column (ML.NET's Concatenate).</summary>
public sealed class ColumnConcatenatingTransformer : IPersistableTransformer
{
    /// <summary>Creates the transformer.</summary>
    public ColumnConcatenatingTransformer(string outputColumnName, params string[] inputColumnNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        if (inputColumnNames is null || inputColumnNames.Length == 0)
            throw new ArgumentException($"Concatenate('{outputColumnName}') needs at least one input column.");
        OutputColumnName = outputColumnName;
        InputColumnNames = inputColumnNames.ToArray();
    }

    /// <summary>The vector column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>The columns joined, in order.</summary>
    public IReadOnlyList<string> InputColumnNames { get; }
    /// <inheritdoc />
    public string Kind => "Concatenate";

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        int total = InputColumnNames.Sum(c => ColumnChecks.FloatColumnSize(inputSchema, c, "Concatenate"));
        return inputSchema.With(new DataColumn(OutputColumnName, new VectorType([total])));
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        var schema = GetOutputSchema(input.Schema);
        var sizes = InputColumnNames.Select(c => ColumnChecks.FloatColumnSize(input.Schema, c, "Concatenate")).ToArray();
        int total = sizes.Sum();
        return new ColumnMapDataView(input, schema, OutputColumnName, InputColumnNames, batch =>
        {
            var y = new float[batch.RowCount * total];
            int at = 0;
            for (int c = 0; c < sizes.Length; c++)
            {
                var x = ColumnChecks.Floats(batch, InputColumnNames[c]);
                for (int r = 0; r < batch.RowCount; r++) x.Row(r).CopyTo(y.AsSpan(r * total + at, sizes[c]));
                at += sizes[c];
            }
            return new FloatColumnData(y, batch.RowCount, total);
        });
    }

    /// <inheritdoc />
    public void Save(TransformerSaveContext context)
    {
        context.Settings["outputColumnName"] = OutputColumnName;
        context.Settings["inputColumnNames"] = new JsonArray(InputColumnNames.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
    }

    internal static ITransformer Load(TransformerLoadContext context)
    {
        var inputs = context.Settings["inputColumnNames"] as JsonArray
            ?? throw new InvalidDataException($"{context.Source}: the input columns of Concatenate are missing; the model package is damaged.");
        return new ColumnConcatenatingTransformer(NormalizerTransformer.RequiredString(context, "outputColumnName"),
            inputs.Select(v => v!.GetValue<string>()).ToArray());
    }
}

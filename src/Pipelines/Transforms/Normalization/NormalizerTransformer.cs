using System.Text.Json.Nodes;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Transforms.Normalization;

/// <summary>
/// A fitted normaliser: y[i] = (x[i] − Offset[i]) × Scale[i] per element of a Single scalar or vector column.
/// Persistable, and an <see cref="IAffineColumnTransformer"/> so ONNX export folds it into Sub/Mul.
/// </summary>
public sealed class NormalizerTransformer : IAffineColumnTransformer, IPersistableTransformer
{
    private readonly float[] _offset;
    private readonly float[] _scale;

    /// <summary>Creates a normaliser with explicit per-element offsets and scales (equal lengths).</summary>
    public NormalizerTransformer(NormalizerKind normalizerKind, string outputColumnName, string inputColumnName, float[] offset, float[] scale)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        if (offset.Length != scale.Length || offset.Length == 0)
            throw new ArgumentException($"Offset ({offset.Length}) and scale ({scale.Length}) must have the same, positive length.");
        NormalizerKind = normalizerKind;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        _offset = (float[])offset.Clone();
        _scale = (float[])scale.Clone();
    }

    /// <summary>How the offsets and scales were obtained.</summary>
    public NormalizerKind NormalizerKind { get; }

    /// <inheritdoc />
    public string InputColumnName { get; }

    /// <inheritdoc />
    public string OutputColumnName { get; }

    /// <inheritdoc />
    public IReadOnlyList<float> Offset => _offset;

    /// <inheritdoc />
    public IReadOnlyList<float> Scale => _scale;

    /// <inheritdoc />
    public string Kind => KindName(NormalizerKind);

    internal static string KindName(NormalizerKind kind) => kind switch
    {
        NormalizerKind.MinMax => "NormalizeMinMax",
        NormalizerKind.MeanVariance => "NormalizeMeanVariance",
        _ => "NormalizeScale",
    };

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        int size = ColumnChecks.FloatColumnSize(inputSchema, InputColumnName, Kind);
        if (size != _offset.Length)
            throw new SchemaException($"{Kind}: column '{InputColumnName}' has {size} elements per row but the normaliser was fitted on {_offset.Length}.");
        return inputSchema.With(new DataColumn(OutputColumnName, inputSchema[InputColumnName].Type));
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        var schema = GetOutputSchema(input.Schema);
        return new ColumnMapDataView(input, schema, OutputColumnName, [InputColumnName], Apply);
    }

    private FloatColumnData Apply(DataBatch batch)
    {
        var x = ColumnChecks.Floats(batch, InputColumnName);
        int n = _offset.Length;
        var y = new float[x.RowCount * n];
        for (int r = 0; r < x.RowCount; r++)
        {
            var src = x.Row(r);
            var dst = y.AsSpan(r * n, n);
            for (int i = 0; i < n; i++) dst[i] = (src[i] - _offset[i]) * _scale[i];
        }
        return new FloatColumnData(y, x.RowCount, n);
    }

    /// <inheritdoc />
    public void Save(TransformerSaveContext context)
    {
        context.Settings["inputColumnName"] = InputColumnName;
        context.Settings["outputColumnName"] = OutputColumnName;
        context.Tensors["offset"] = ((float[])_offset.Clone(), [_offset.Length]);
        context.Tensors["scale"] = ((float[])_scale.Clone(), [_scale.Length]);
    }

    internal static ITransformer Load(TransformerLoadContext context, NormalizerKind kind) =>
        new NormalizerTransformer(kind,
            RequiredString(context, "outputColumnName"), RequiredString(context, "inputColumnName"),
            context.Tensor("offset").Values, context.Tensor("scale").Values);

    internal static string RequiredString(TransformerLoadContext context, string key) =>
        context.Settings[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw new InvalidDataException($"{context.Source}: setting '{key}' of {context.Kind} is missing. The model package is damaged or from an incompatible version; re-save it.");
}

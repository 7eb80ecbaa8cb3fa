using System.Text.Json;
using System.Text.Json.Nodes;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Export.Scoring;

/// <summary>
/// Runs an ONNX model with ONNX Runtime on each batch of a data view and adds its outputs as columns:
/// float outputs as vectors (Score), int64 class outputs as keys with the label names stored in the
/// model's metadata (PredictedLabel). ML.NET's OnnxTransformer, on our batches.
/// </summary>
public sealed class OnnxScoringTransformer : IPersistableTransformer, IDisposable
{
    /// <summary>The registry kind.</summary>
    public const string TransformerKind = "OnnxScoring";

    private readonly DlContext? _context;

    internal OnnxScoringTransformer(DlContext? context, OnnxScoringOptions options)
    {
        _context = context;
        Options = options;
        int? device = options.GpuDeviceId ?? context?.GpuDeviceId;
        Session = OnnxSession.Open(options.ModelFile, new OnnxSessionOptions
        {
            GpuDeviceId = device,
            FallbackToCpu = options.FallbackToCpu || (context?.FallbackToCpu ?? false),
            IntraOpThreads = options.IntraOpNumThreads,
            InterOpThreads = options.InterOpNumThreads,
            AllowSpinning = options.AllowSpinning,
            LibraryPath = options.LibraryPath,
            Log = (level, message) => context?.WriteLog(level, "OnnxScoring", message),
        });
        try
        {
            InputColumnNames = (options.InputColumns ?? Session.Inputs.Select(i => i.Name).ToList()).ToArray();
            OutputColumnNames = (options.OutputColumns ?? Session.Outputs.Select(o => o.Name).ToList()).ToArray();
            foreach (var name in InputColumnNames)
                if (Session.Input(name) is null)
                    throw new SchemaException($"'{name}' is not an input of ONNX model '{Session.ModelName}'. Its inputs: {string.Join(", ", Session.Inputs.Select(i => $"{i.Name} {i.Describe()}"))}. Input columns must be named as the model's inputs.");
            foreach (var name in OutputColumnNames)
                if (Session.Output(name) is null)
                    throw new SchemaException($"'{name}' is not an output of ONNX model '{Session.ModelName}'. Its outputs: {string.Join(", ", Session.Outputs.Select(o => $"{o.Name} {o.Describe()}"))}.");
            if (InputColumnNames.Count != Session.Inputs.Count)
                throw new SchemaException($"ONNX model '{Session.ModelName}' has inputs {string.Join(", ", Session.Inputs.Select(i => i.Name))}; every one needs a column, got {string.Join(", ", InputColumnNames)}.");
            LabelNames = Session.Metadata.TryGetValue(OnnxMetadataKeys.LabelNames, out var json) ? JsonSerializer.Deserialize<string[]>(json) : null;
        }
        catch
        {
            Session.Dispose();
            throw;
        }
    }

    /// <summary>The settings.</summary>
    public OnnxScoringOptions Options { get; }

    /// <summary>The ONNX Runtime session.</summary>
    public OnnxSession Session { get; }

    /// <summary>Columns read (named as the model inputs).</summary>
    public IReadOnlyList<string> InputColumnNames { get; }

    /// <summary>Columns added (named as the model outputs).</summary>
    public IReadOnlyList<string> OutputColumnNames { get; }

    /// <summary>Class names from the model's metadata, or null.</summary>
    public IReadOnlyList<string>? LabelNames { get; }

    /// <inheritdoc />
    public string Kind => TransformerKind;

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        foreach (var name in InputColumnNames) CheckInputColumn(inputSchema, name);
        var schema = inputSchema;
        foreach (var name in OutputColumnNames) schema = schema.With(new DataColumn(name, OutputType(Session.Output(name)!)));
        return schema;
    }

    /// <summary>Elements per row the model input needs (its dimensions after the batch).</summary>
    internal int RowSize(string input) => checked((int)Session.Input(input)!.RowSize);

    private void CheckInputColumn(DataSchema schema, string name)
    {
        var info = Session.Input(name)!;
        var column = schema.GetColumnOrNull(name)
            ?? throw new SchemaException($"ONNX model '{Session.ModelName}' needs column '{name}' ({info.Describe()}), which the data does not have. Available columns: {string.Join(", ", schema.Select(c => $"{c.Name} ({c.Type.Describe()})"))}.");
        if (info.ElementType != OnnxElementType.Float)
            throw new SchemaException($"ONNX model input '{name}' is {info.Describe()}; ApplyOnnxModel feeds float32 columns only.");
        if (info.Dimensions.Skip(1).Any(d => d < 0))
            throw new SchemaException($"ONNX model input '{name}' is {info.Describe()}: only the first (batch) dimension may be symbolic.");
        long size = info.RowSize;
        bool ok = column.Type switch
        {
            VectorType v => v.Size == size,
            ScalarType => size == 1,
            _ => false,
        };
        if (!ok)
            throw new SchemaException($"Column '{name}' is {column.Type.Describe()}, but ONNX model '{Session.ModelName}' input '{name}' expects {info.Describe()} ({size} float32 values per row). Feed a float vector column of that size.");
    }

    private ColumnType OutputType(OnnxValueInfo output)
    {
        var perRow = output.Dimensions.Skip(1).Select(d => (int)Math.Max(d, 1)).ToArray();
        if (output.ElementType == OnnxElementType.Int64 && perRow.Length == 0)
        {
            int count = LabelNames?.Count
                ?? Session.Outputs.Where(o => o.ElementType == OnnxElementType.Float && o.Dimensions.Length == 2).Select(o => (int)o.Dimensions[1]).FirstOrDefault(2);
            return new KeyType(Math.Max(count, 2), LabelNames);
        }
        return perRow.Length == 0 ? ScalarType.Instance : new VectorType(perRow);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        var schema = GetOutputSchema(input.Schema);
        return new OnnxScoredDataView(this, input, schema);
    }

    /// <summary>Runs the model on one batch and returns it with the output columns added.</summary>
    internal DataBatch Score(DataBatch batch)
    {
        int rows = batch.RowCount;
        var inputs = new OnnxTensor[InputColumnNames.Count];
        for (int k = 0; k < inputs.Length; k++)
        {
            var name = InputColumnNames[k];
            var info = Session.Input(name)!;
            var data = batch.Get<FloatColumnData>(name);
            var shape = new long[info.Dimensions.Length];
            shape[0] = rows;
            for (int d = 1; d < shape.Length; d++) shape[d] = info.Dimensions[d];
            inputs[k] = OnnxTensor.Float(name, data.Values, shape);
        }
        var outputs = Session.Run(inputs, OutputColumnNames);
        foreach (var o in outputs)
        {
            ColumnData column;
            if (o.ElementType == OnnxElementType.Int64 && o.Shape.Length == 1)
            {
                var l = o.AsInt64();
                var keys = new uint[rows];
                for (int r = 0; r < rows; r++) keys[r] = checked((uint)l[r]);
                column = new KeyColumnData(keys, rows);
            }
            else
            {
                var values = o.ElementType == OnnxElementType.Float ? o.AsFloats() : o.AsInt64().Select(v => (float)v).ToArray();
                column = new FloatColumnData(values, rows, rows == 0 ? 0 : values.Length / rows);
            }
            batch = batch.With(o.Name, column);
        }
        return batch;
    }

    /// <inheritdoc />
    public void Save(TransformerSaveContext context)
    {
        context.Settings["modelFile"] = Path.GetFullPath(Options.ModelFile);
        context.Settings["inputColumns"] = new JsonArray(InputColumnNames.Select(n => (JsonNode)n).ToArray());
        context.Settings["outputColumns"] = new JsonArray(OutputColumnNames.Select(n => (JsonNode)n).ToArray());
        if (Options.GpuDeviceId is int d) context.Settings["gpuDeviceId"] = d;
        context.Settings["fallbackToCpu"] = Options.FallbackToCpu;
    }

    internal static ITransformer Load(TransformerLoadContext c) => new OnnxScoringTransformer(c.Context, new OnnxScoringOptions
    {
        ModelFile = c.Settings["modelFile"]!.GetValue<string>(),
        InputColumns = c.Settings["inputColumns"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray(),
        OutputColumns = c.Settings["outputColumns"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray(),
        GpuDeviceId = c.Settings["gpuDeviceId"]?.GetValue<int>(),
        FallbackToCpu = c.Settings["fallbackToCpu"]?.GetValue<bool>() ?? false,
    });

    /// <inheritdoc />
    public void Dispose() => Session.Dispose();
}

using System.Globalization;
using System.Text;
using DlBook.Export.Onnx;
using DlBook.Export.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML;

namespace DlBook.Export.Serving;

/// <summary>
/// Writes a Triton Inference Server model repository entry for an ONNX model:
/// <c>&lt;dir&gt;/&lt;name&gt;/&lt;version&gt;/model.onnx</c> and <c>&lt;dir&gt;/&lt;name&gt;/config.pbtxt</c> (onnxruntime backend,
/// dynamic batching, input/output names, types and per-request dims). The entry is assembled in a
/// temporary folder and moved into place, replacing an older one.
/// </summary>
public static class TritonPackager
{
    /// <summary>Packages an existing .onnx file.</summary>
    public static TritonPackage Write(string onnxPath, string repositoryDirectory, string modelName, TritonOptions? options = null)
    {
        var full = Path.GetFullPath(onnxPath);
        if (!File.Exists(full)) throw new FileNotFoundException($"ONNX model '{full}' does not exist; export it first (dlbook export).", full);
        return Write(File.ReadAllBytes(full), full, repositoryDirectory, modelName, options ?? new TritonOptions());
    }

    /// <summary>Exports <paramref name="model"/> to ONNX and packages it.</summary>
    public static TritonPackage Write(ITransformer model, DataViewSchema inputSchema, string repositoryDirectory, string modelName,
        TritonOptions? options = null, int opset = OnnxExporter.DefaultOpset) =>
        Write(OnnxExporter.ToBytes(model, inputSchema, new OnnxExportOptions { Opset = opset, GraphName = modelName }),
            $"<{modelName}>", repositoryDirectory, modelName, options ?? new TritonOptions());

    private static TritonPackage Write(byte[] onnx, string source, string repositoryDirectory, string modelName, TritonOptions options)
    {
        if (string.IsNullOrWhiteSpace(modelName) || modelName.IndexOfAny(['/', '\\']) >= 0 || modelName is "." or "..")
            throw new ArgumentException($"Triton model name '{modelName}' must be a plain folder name (no path separators).", nameof(modelName));
        if (options.MaxBatchSize < 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxBatchSize must be ≥ 0.");
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(onnx); }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{source}' is not a valid ONNX model ({e.Message}); re-export it.", e);
        }
        if (model.Graph is null || model.Graph.Input.Count == 0)
            throw new InvalidDataException($"'{source}' has no graph inputs; it is not a model DlBook can package.");
        var config = Config(model, modelName, options);

        var repo = Path.GetFullPath(repositoryDirectory);
        Directory.CreateDirectory(repo);
        var target = Path.Combine(repo, modelName);
        var staging = Path.Combine(repo, $".{modelName}.{Guid.NewGuid():N}.tmp");
        var version = options.Version.ToString(CultureInfo.InvariantCulture);
        try
        {
            Directory.CreateDirectory(Path.Combine(staging, version));
            File.WriteAllBytes(Path.Combine(staging, version, "model.onnx"), onnx);
            File.WriteAllText(Path.Combine(staging, "config.pbtxt"), config, new UTF8Encoding(false));
            string? old = null;
            if (Directory.Exists(target))
            {
                old = Path.Combine(repo, $".{modelName}.{Guid.NewGuid():N}.old");
                Directory.Move(target, old);
            }
            Directory.Move(staging, target);
            if (old is not null) Directory.Delete(old, recursive: true);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return new TritonPackage(target, Path.Combine(target, version, "model.onnx"), Path.Combine(target, "config.pbtxt"), config);
    }

    internal static string Config(ModelProto model, string name, TritonOptions options)
    {
        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        var outputs = model.Graph.Output.ToList();
        // Triton batches along a leading axis only when every tensor has a symbolic first dimension.
        bool batched = options.MaxBatchSize > 0 && inputs.Concat(outputs).All(v => Dims(v).Count > 0 && Dims(v)[0] is null);
        var sb = new StringBuilder();
        sb.Append("name: \"").Append(name).Append("\"\n");
        sb.Append("platform: \"onnxruntime_onnx\"\n");
        sb.Append("max_batch_size: ").Append(batched ? options.MaxBatchSize : 0).Append('\n');
        Section(sb, "input", inputs, batched);
        Section(sb, "output", outputs, batched);
        if (batched)
        {
            sb.Append("dynamic_batching {\n");
            if (options.PreferredBatchSizes.Count > 0)
                sb.Append("  preferred_batch_size: [ ").Append(string.Join(", ", options.PreferredBatchSizes)).Append(" ]\n");
            sb.Append("  max_queue_delay_microseconds: ").Append(options.MaxQueueDelayMicroseconds).Append('\n');
            sb.Append("}\n");
        }
        if (options.InstanceKind is { } kind)
            sb.Append("instance_group [\n  {\n    count: ").Append(options.InstanceCount).Append("\n    kind: ").Append(kind).Append("\n  }\n]\n");
        return sb.ToString();
    }

    private static void Section(StringBuilder sb, string section, List<ValueInfoProto> values, bool batched)
    {
        sb.Append(section).Append(" [\n");
        for (int i = 0; i < values.Count; i++)
        {
            var v = values[i];
            var dims = Dims(v);
            var perRequest = batched ? dims.Skip(1).ToList() : dims;
            sb.Append("  {\n");
            sb.Append("    name: \"").Append(v.Name).Append("\"\n");
            sb.Append("    data_type: ").Append(DataType(v)).Append('\n');
            if (perRequest.Count == 0)
            {
                // A [batch] tensor: Triton needs a non-empty dims, so it is declared [1] and reshaped to a scalar per request.
                sb.Append("    dims: [ 1 ]\n    reshape: { shape: [ ] }\n");
            }
            else
                sb.Append("    dims: [ ").Append(string.Join(", ", perRequest.Select(d => d?.ToString(CultureInfo.InvariantCulture) ?? "-1"))).Append(" ]\n");
            sb.Append(i + 1 < values.Count ? "  },\n" : "  }\n");
        }
        sb.Append("]\n");
    }

    private static List<long?> Dims(ValueInfoProto v) =>
        v.Type?.TensorType?.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : (long?)null).ToList() ?? [];

    private static string DataType(ValueInfoProto v) => (TensorProto.Types.DataType)(v.Type?.TensorType?.ElemType ?? 0) switch
    {
        TensorProto.Types.DataType.Float => "TYPE_FP32",
        TensorProto.Types.DataType.Double => "TYPE_FP64",
        TensorProto.Types.DataType.Float16 => "TYPE_FP16",
        TensorProto.Types.DataType.Int64 => "TYPE_INT64",
        TensorProto.Types.DataType.Int32 => "TYPE_INT32",
        TensorProto.Types.DataType.Int8 => "TYPE_INT8",
        TensorProto.Types.DataType.Uint8 => "TYPE_UINT8",
        TensorProto.Types.DataType.Bool => "TYPE_BOOL",
        TensorProto.Types.DataType.String => "TYPE_STRING",
        var t => throw new InvalidDataException($"Tensor '{v.Name}' has element type {t}, which Triton's ONNX backend config cannot declare."),
    };
}

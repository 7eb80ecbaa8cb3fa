using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DlBook.Engine.Activations;
using DlBook.Export.Onnx.Mappings;
using DlBook.Export.Onnx.Proto;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Trainers.Models;
using Google.Protobuf;

namespace DlBook.Export.Onnx;

/// <summary>
/// Writes a fitted pipeline (affine normalisers, then a trained <see cref="INetworkModel"/>) or a
/// network alone as an ONNX model: normalisers folded into Sub/Mul nodes on the raw input, each layer
/// mapped by its <see cref="IOnnxLayerMapping"/>, then the output activation (Score) and the predicted
/// class (PredictedLabel). Steps that only touch the label (key mapping) are left out.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Default ai.onnx opset.</summary>
    public const int DefaultOpset = 17;
    /// <summary>Lowest opset accepted.</summary>
    public const int MinOpset = 13;
    /// <summary>Highest opset accepted.</summary>
    public const int MaxOpset = 21;
    /// <summary>Name of the symbolic batch axis.</summary>
    public const string BatchAxis = "batch";
    /// <summary>Name of the symbolic time axis of recurrent inputs.</summary>
    public const string TimeAxis = "time";

    /// <summary>Exports <paramref name="model"/> (a chain or a network) to <paramref name="path"/>, atomically (temporary file, then rename).</summary>
    /// <param name="model">The fitted pipeline or network.</param>
    /// <param name="inputSchema">The schema of the data the pipeline was fitted on (the raw columns); null for a network alone.</param>
    /// <param name="path">Destination .onnx file.</param>
    /// <param name="options">Opset and names.</param>
    public static OnnxExportInfo Export(ITransformer model, DataSchema? inputSchema, string path, OnnxExportOptions? options = null)
    {
        var (proto, info) = Build(model, inputSchema, options ?? new OnnxExportOptions());
        WriteAtomically(path, proto.ToByteArray());
        return info with { Path = Path.GetFullPath(path) };
    }

    /// <summary>Exports a network alone (its input is the network's raw input).</summary>
    public static OnnxExportInfo Export(INetworkModel model, string path, int opset = DefaultOpset) =>
        Export(model, null, path, new OnnxExportOptions { Opset = opset });

    /// <summary>Exports an engine network built without a trainer (its input named <paramref name="featureColumn"/>).</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">Destination .onnx file.</param>
    /// <param name="task">"MulticlassClassification", "BinaryClassification" or "Regression" (decides PredictedLabel).</param>
    /// <param name="labelNames">Class names for the metadata, or null.</param>
    /// <param name="opset">ai.onnx opset.</param>
    /// <param name="featureColumn">Graph input name.</param>
    public static OnnxExportInfo Export(Engine.Networks.Sequential network, string path, string task = "MulticlassClassification",
        IReadOnlyList<string>? labelNames = null, int opset = DefaultOpset, string featureColumn = "Features") =>
        Export(new SequentialNetworkModel(network, task, labelNames, featureColumn), null, path, new OnnxExportOptions { Opset = opset });

    /// <summary>The ONNX bytes of an engine network built without a trainer.</summary>
    public static byte[] ToBytes(Engine.Networks.Sequential network, string task = "MulticlassClassification",
        IReadOnlyList<string>? labelNames = null, int opset = DefaultOpset, string featureColumn = "Features") =>
        ToBytes(new SequentialNetworkModel(network, task, labelNames, featureColumn), null, new OnnxExportOptions { Opset = opset });

    /// <summary>The ONNX file's bytes for <paramref name="model"/>.</summary>
    public static byte[] ToBytes(ITransformer model, DataSchema? inputSchema, OnnxExportOptions? options = null) =>
        Build(model, inputSchema, options ?? new OnnxExportOptions()).Model.ToByteArray();

    /// <summary>The ONNX IR version that goes with an opset (ONNX's versioning table).</summary>
    public static int IrVersionFor(int opset) => opset switch
    {
        <= 13 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    internal static (ModelProto Model, OnnxExportInfo Info) Build(ITransformer model, DataSchema? inputSchema, OnnxExportOptions options)
    {
        if (options.Opset < MinOpset || options.Opset > MaxOpset)
            throw new OnnxExportException($"Opset {options.Opset} is not supported: choose {MinOpset}–{MaxOpset} (default {DefaultOpset}).");

        var steps = FlattenSteps(model).ToList();
        int netIndex = steps.FindLastIndex(s => s is INetworkModel);
        if (netIndex < 0)
            throw new OnnxExportException($"The model ({model.GetType().Name}) holds no trained network (INetworkModel); nothing to export. Pass the result of Fit of a pipeline ending in a trainer.");
        var network = (INetworkModel)steps[netIndex];
        if (network.Layers.Count == 0)
            throw new OnnxExportException("The network has no layers.");

        var (inputName, affine) = FindPreprocessing(steps, netIndex, network.FeatureColumnName, inputSchema);
        var inputDims = InputDims(network, inputName, inputSchema);
        int inputSize = network.InputShape.Aggregate(1, (a, b) => a * b);

        var graph = new GraphProto { Name = options.GraphName };
        var ctx = new OnnxGraphContext(graph, options.Opset, network.GetParameter);
        ctx.Reserve(inputName);
        ctx.Reserve(network.ScoreColumnName);
        bool hasLabel = network.PredictedLabelColumnName is not null && network.Task != "Regression";
        if (hasLabel) ctx.Reserve(network.PredictedLabelColumnName!);

        graph.Input.Add(TensorValue(inputName, TensorProto.Types.DataType.Float, inputDims));

        // Normalisers: y = (x − offset) × scale, folded on the raw input in pipeline order.
        string current = inputName;
        var pre = new JsonArray();
        foreach (var a in affine)
        {
            var offset = Broadcast(a.Offset, inputSize, a, "Offset");
            var scale = Broadcast(a.Scale, inputSize, a, "Scale");
            if (offset.Any(v => v != 0f))
                current = ctx.AddNode("Sub", [current, ctx.AddConstant($"{a.OutputColumnName}.offset", offset, network.InputShape)], nodeName: $"normalize_{a.OutputColumnName}_sub");
            if (scale.Any(v => v != 1f))
                current = ctx.AddNode("Mul", [current, ctx.AddConstant($"{a.OutputColumnName}.scale", scale, network.InputShape)], nodeName: $"normalize_{a.OutputColumnName}_mul");
            pre.Add(new JsonObject
            {
                ["step"] = a.GetType().Name,
                ["input"] = a.InputColumnName,
                ["output"] = a.OutputColumnName,
                ["formula"] = "(x - offset) * scale",
                ["offset_min"] = offset.Min(), ["offset_max"] = offset.Max(),
                ["scale_min"] = scale.Min(), ["scale_max"] = scale.Max(),
            });
        }

        foreach (var layer in network.Layers)
            current = OnnxLayerMappings.Get(layer.Kind, layer.Name).Emit(ctx, layer, current);

        int outputs = network.Layers[^1].OutputShape.Aggregate(1, (a, b) => a * b);
        var score = ActivationMapping.EmitActivation(ctx, network.OutputActivation, null, current, network.ScoreColumnName, "output_activation");
        graph.Output.Add(TensorValue(score, TensorProto.Types.DataType.Float, [BatchAxis, outputs]));
        var outputNames = new List<string> { score };
        if (hasLabel)
        {
            var label = network.PredictedLabelColumnName!;
            if (outputs > 1)
                ctx.AddNode("ArgMax", [score], label, "predicted_label", OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
            else
            {
                // One output: a sigmoid probability (threshold 0.5) or a raw logit (threshold 0); ArgMax over one column would always say 0.
                float threshold = network.OutputActivation == Activation.Sigmoid ? 0.5f : 0f;
                var positive = ctx.AddNode("Greater", [score, ctx.AddConstant("threshold", [threshold], [])], nodeName: "predicted_label_threshold");
                var asInt = ctx.AddNode("Cast", [positive], nodeName: "predicted_label_cast", attributes: OnnxAttribute.Int("to", (long)TensorProto.Types.DataType.Int64));
                ctx.AddNode("Squeeze", [asInt, ctx.AddInt64Constant("squeeze_axes", [1L], [1])], label, "predicted_label");
            }
            graph.Output.Add(TensorValue(label, TensorProto.Types.DataType.Int64, [BatchAxis]));
            outputNames.Add(label);
        }

        var version = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0";
        var proto = new ModelProto
        {
            IrVersion = IrVersionFor(options.Opset),
            ProducerName = "DlBook.MLNet",
            ProducerVersion = version,
            Domain = "dlbook",
            ModelVersion = 1,
            DocString = options.Description ?? Describe(network),
            Graph = graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        void Meta(string k, string v) => proto.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        Meta(OnnxMetadataKeys.Producer, "DlBook.MLNet");
        Meta(OnnxMetadataKeys.Version, version);
        Meta(OnnxMetadataKeys.Task, network.Task);
        if (network.LabelNames is { } names) Meta(OnnxMetadataKeys.LabelNames, JsonSerializer.Serialize(names));
        Meta(OnnxMetadataKeys.FeatureColumn, inputName);
        Meta(OnnxMetadataKeys.InputShape, JsonSerializer.Serialize(network.InputShape));
        Meta(OnnxMetadataKeys.InputLayout, $"float32[{string.Join(",", inputDims.Select(d => d.ToString()))}] row-major; '{BatchAxis}' is the symbolic batch axis; the input is the raw column before the folded preprocessing");
        Meta(OnnxMetadataKeys.ImageSize, inputSchema?.GetColumnOrNull(inputName)?.Type is ImageType img ? $"{img.Height},{img.Width},{img.Channels}" : "none");
        Meta(OnnxMetadataKeys.Preprocessing, pre.ToJsonString());
        Meta(OnnxMetadataKeys.ScoreActivation, network.OutputActivation.ToString());

        var info = new OnnxExportInfo(null, options.Opset, inputName, network.InputShape.ToArray(), outputNames, affine.Count, graph.Node.Count);
        return (proto, info);
    }

    private static IEnumerable<ITransformer> FlattenSteps(ITransformer t) =>
        t is ITransformerChain chain ? chain.Transformers.SelectMany(FlattenSteps) : [t];

    /// <summary>Walks back from the network's feature column through the steps that wrote it: affine ones are folded, any other is an error.</summary>
    private static (string InputName, List<IAffineColumnTransformer> Affine) FindPreprocessing(
        List<ITransformer> steps, int netIndex, string featureColumn, DataSchema? inputSchema)
    {
        DataSchema[]? schemas = null;
        if (inputSchema is not null)
        {
            schemas = new DataSchema[netIndex + 1];
            schemas[0] = inputSchema;
            for (int i = 0; i < netIndex; i++) schemas[i + 1] = steps[i].GetOutputSchema(schemas[i]);
        }
        var affine = new List<IAffineColumnTransformer>();
        string current = featureColumn;
        for (int i = netIndex - 1; i >= 0; i--)
        {
            if (steps[i] is IAffineColumnTransformer a && a.OutputColumnName == current)
            {
                affine.Insert(0, a);
                current = a.InputColumnName;
                continue;
            }
            if (schemas is null) continue;
            var before = schemas[i].GetColumnOrNull(current);
            var after = schemas[i + 1].GetColumnOrNull(current);
            if (after is not null && (before is null || !Equals(before.Type, after.Type)))
                throw new OnnxExportException(
                    $"Pipeline step {i} ({steps[i].GetType().Name}) writes the column '{current}' that feeds the network, and it is not an affine normaliser, so it cannot be folded into the ONNX graph. " +
                    "Export the network alone and apply that step before scoring, or use a normaliser (min-max, mean-variance, pixel scaling).");
        }
        if (schemas is not null && schemas[0].GetColumnOrNull(current) is null)
            throw new OnnxExportException($"The network reads '{current}', which is not in the input schema ({schemas[0]}). Pass the schema of the data the pipeline was fitted on.");
        return (current, affine);
    }

    private static object[] InputDims(INetworkModel network, string inputName, DataSchema? inputSchema)
    {
        int size = network.InputShape.Aggregate(1, (a, b) => a * b);
        switch (inputSchema?.GetColumnOrNull(inputName)?.Type)
        {
            case null:
            case VectorType v when v.Size == size:
            case ScalarType when size == 1:
                return [BatchAxis, .. network.InputShape.Cast<object>()];
            case SequenceType s:
                // Recurrent models: a symbolic time axis after the batch.
                return [BatchAxis, TimeAxis, .. s.ElementShape.Cast<object>()];
            case var t:
                throw new OnnxExportException($"Column '{inputName}' is {t.Describe()}, but the network takes float32[{string.Join(",", network.InputShape)}] per row. ONNX export takes the float column the network reads (after image extraction).");
        }
    }

    private static float[] Broadcast(IReadOnlyList<float> values, int size, IAffineColumnTransformer step, string what)
    {
        if (values.Count == size) return values.ToArray();
        if (values.Count == 1) return Enumerable.Repeat(values[0], size).ToArray();
        throw new OnnxExportException($"Normaliser of column '{step.OutputColumnName}' ({step.GetType().Name}) has {values.Count} {what} values for a column of {size}.");
    }

    private static ValueInfoProto TensorValue(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string p ? new TensorShapeProto.Types.Dimension { DimParam = p }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d, CultureInfo.InvariantCulture) });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static string Describe(INetworkModel network)
    {
        var sb = new StringBuilder($"{network.Task} network exported by DlBook.MLNet: ");
        sb.Append(string.Join(" → ", network.Layers.Select(l => $"{l.Kind}({string.Join(",", l.OutputShape)})")));
        sb.Append($" → {network.OutputActivation}");
        return sb.ToString();
    }

    /// <summary>Writes bytes to a temporary file beside <paramref name="path"/> and renames it, so no half-written file is ever left at <paramref name="path"/>.</summary>
    internal static void WriteAtomically(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}

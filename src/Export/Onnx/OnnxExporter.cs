using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DlBook.Engine.Activations;
using DlBook.Engine.Networks;
using DlBook.Export.Onnx.Mappings;
using DlBook.Export.Onnx.Proto;
using DlBook.Pipelines.MlNet;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Networks;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DlBook.Export.Onnx;

/// <summary>
/// Writes a fitted ML.NET chain that holds a trained <see cref="NetworkTransformer"/> as one ONNX graph from the raw
/// input columns to the outputs: <c>Concatenate</c> becomes Concat, affine normalisers (min-max, mean-variance,
/// log-mean-variance is not affine) become Sub/Mul, each layer is mapped by its <see cref="IOnnxLayerMapping"/>, then
/// the output activation (Score), Probability for binary models, and PredictedLabel — the label's values when a
/// <c>MapKeyToValue</c> of PredictedLabel follows, else the class index (key − 1). Steps that touch only other columns
/// (the label's key mapping) are left out; a step on the path to the network that cannot be written gets an
/// <see cref="OnnxExportException"/> naming it — never a silently wrong graph.
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
    /// <summary>
    /// Name of the optional int32 [batch] graph input that a graph with recurrent layers (SimpleRnn, Lstm, Gru) takes
    /// beside its features: the length of each right-padded row (1 ≤ length ≤ T), fed to every recurrent operator's
    /// <c>sequence_lens</c> as <see cref="Engine.Networks.Sequential.SetSequenceLengths"/> sets them in the engine.
    /// Left out (its default is an empty tensor), every row is full length. Steps t ≥ length come out as zeros in
    /// returned sequences and the last state is h at t = length − 1 (for the backward direction, after t = 0).
    /// The metadata key <see cref="OnnxMetadataKeys.SequenceLengths"/> describes it.
    /// </summary>
    public const string SequenceLengthsInput = "SequenceLengths";

    /// <summary>Exports <paramref name="model"/> to <paramref name="path"/>, atomically (temporary file, then rename).</summary>
    /// <param name="model">The fitted chain (or the network transformer alone).</param>
    /// <param name="inputSchema">The schema of the data the chain was fitted on (the raw columns).</param>
    /// <param name="path">Destination .onnx file.</param>
    /// <param name="options">Opset and names.</param>
    public static OnnxExportInfo Export(ITransformer model, DataViewSchema inputSchema, string path, OnnxExportOptions? options = null)
    {
        var (proto, info) = Build(model, inputSchema, options ?? new OnnxExportOptions());
        WriteAtomically(path, proto.ToByteArray());
        return info with { Path = Path.GetFullPath(path) };
    }

    /// <summary>The ONNX file's bytes for <paramref name="model"/>.</summary>
    public static byte[] ToBytes(ITransformer model, DataViewSchema inputSchema, OnnxExportOptions? options = null) =>
        Build(model, inputSchema, options ?? new OnnxExportOptions()).Model.ToByteArray();

    /// <summary>The ONNX bytes of an engine network built without a trainer (its input named <paramref name="featureColumn"/>).</summary>
    public static byte[] ToBytes(Sequential network, PredictionKind task = PredictionKind.MulticlassClassification,
        IReadOnlyList<string>? labelNames = null, int opset = DefaultOpset, string featureColumn = "Features")
    {
        var outputs = new ScoreColumns(task, task == PredictionKind.MulticlassClassification ? network.OutputSize : 2,
            labelNames is null ? null : new LabelValues("String", labelNames));
        var graph = new GraphWriter(new OnnxExportOptions { Opset = opset }, network.Specs, (l, p) => network.Layer(l).Parameters.First(x => x.Name == p).Value);
        graph.Input(featureColumn, [BatchAxis, .. network.InputShape.Cast<object>()]);
        return graph.Finish(network.Specs, network.OutputActivation, network.InputShape, network.OutputSize, featureColumn, outputs, null, featureColumn, new JsonArray()).Model.ToByteArray();
    }

    /// <summary>The ONNX IR version that goes with an opset (ONNX's versioning table).</summary>
    public static int IrVersionFor(int opset) => opset switch
    {
        <= 13 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    internal static (ModelProto Model, OnnxExportInfo Info) Build(ITransformer model, DataViewSchema inputSchema, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (options.Opset < MinOpset || options.Opset > MaxOpset)
            throw new OnnxExportException($"Opset {options.Opset} is not supported: choose {MinOpset}–{MaxOpset} (default {DefaultOpset}).");
        var steps = Flatten(model).ToList();
        int netIndex = steps.FindLastIndex(s => s is NetworkTransformer);
        if (netIndex < 0)
            throw new OnnxExportException($"The model ({model.GetType().Name}) holds no trained DlBook network; nothing to export. Pass the result of Fit of a pipeline with a DlBook trainer.");
        var net = (NetworkTransformer)steps[netIndex];
        var schemas = new DataViewSchema[steps.Count + 1];
        schemas[0] = inputSchema;
        for (int i = 0; i < steps.Count; i++) schemas[i + 1] = steps[i].GetOutputSchema(schemas[i]);

        var graph = new GraphWriter(options, net.Model.Layers, net.Model.GetParameter);
        var pre = new JsonArray();
        string features = graph.Column(net.FeatureColumnName, netIndex, steps, schemas, pre);

        // After the network: a MapKeyToValue of PredictedLabel becomes a lookup of the label's values; any other step that
        // rewrites an output column cannot be written.
        LabelValues? valuesOut = null;
        for (int i = netIndex + 1; i < steps.Count; i++)
        {
            var pairs = MlNetInternals.ColumnPairs(steps[i]);
            foreach (var name in net.Outputs.Names)
            {
                var before = schemas[i].GetColumnOrNull(name);
                var after = schemas[i + 1].GetColumnOrNull(name);
                if (after is null || before is null || (after.Value.Index == before.Value.Index && before.Value.Type.Equals(after.Value.Type))) continue;
                if (steps[i] is KeyToValueMappingTransformer && name == ScoreColumns.PredictedLabel &&
                    pairs?.Any(p => p.OutputColumnName == name && p.InputColumnName == name) == true && net.Outputs.Labels is { } lv)
                {
                    valuesOut = lv;
                    continue;
                }
                throw new OnnxExportException($"Pipeline step {i} ({steps[i].GetType().Name}) after the network rewrites its output column '{name}', and it cannot be written as ONNX. " +
                    "Export the chain without that step (MapKeyToValue of PredictedLabel is supported) and apply it after scoring.");
            }
        }
        return graph.Finish(net.Model.Layers, net.Model.OutputActivation, net.Model.InputShape, net.Model.OutputSize, features, net.Outputs, valuesOut,
            net.FeatureColumnName, pre);
    }

    private static IEnumerable<ITransformer> Flatten(ITransformer t) =>
        t is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [t];

    /// <summary>The graph being written: its inputs, the columns resolved so far, the network and its outputs.</summary>
    private sealed class GraphWriter
    {
        private readonly GraphProto _graph;
        private readonly OnnxGraphContext _ctx;
        private readonly OnnxExportOptions _options;
        private readonly Dictionary<string, string> _resolved = new(StringComparer.Ordinal);
        private readonly List<string> _inputs = [];
        private int _folded;

        public GraphWriter(OnnxExportOptions options, IReadOnlyList<Engine.Layers.LayerSpec> layers, Func<string, string, Engine.Tensors.Tensor> parameters)
        {
            _options = options;
            _graph = new GraphProto { Name = options.GraphName };
            _ctx = new OnnxGraphContext(_graph, options.Opset, parameters);
        }

        public void Input(string name, object[] dims)
        {
            _ctx.Reserve(name);
            _graph.Input.Add(TensorValue(name, TensorProto.Types.DataType.Float, dims));
            _inputs.Add(name);
            _resolved[name] = name;
        }

        /// <summary>The graph tensor holding column <paramref name="column"/> as the steps before <paramref name="before"/> wrote it.</summary>
        public string Column(string column, int before, List<ITransformer> steps, DataViewSchema[] schemas, JsonArray pre)
        {
            string key = $"{column}@{before}";
            if (_resolved.TryGetValue(key, out var done)) return done;
            // The last step before `before` that wrote the column (a changed type or a new column of that name).
            for (int i = before - 1; i >= 0; i--)
            {
                var b = schemas[i].GetColumnOrNull(column);
                var a = schemas[i + 1].GetColumnOrNull(column);
                if (a is null) continue;
                if (b is not null && a.Value.Index == b.Value.Index) continue;
                return _resolved[key] = Step(i, column, steps, schemas, pre);
            }
            var raw = schemas[0].GetColumnOrNull(column)
                ?? throw new OnnxExportException($"The network reads '{column}', which is neither in the input schema nor written by a step. Pass the schema of the data the chain was fitted on.");
            int size = raw.Type switch
            {
                VectorDataViewType { ItemType: var t, IsKnownSize: true } v when t == NumberDataViewType.Single => v.Size,
                var t when t == NumberDataViewType.Single => 1,
                var t => throw new OnnxExportException($"Input column '{column}' is {Pipelines.Bridge.ColumnChecks.Describe(t)}; ONNX export takes Single columns " +
                    "(scalars or known-size vectors). Convert it in the pipeline (ConvertType) before the columns the network reads."),
            };
            if (raw.Type is VectorDataViewType { Dimensions.Length: > 1 } shaped) return _resolved[key] = ShapedInput(column, shaped);
            if (!_inputs.Contains(column)) Input(column, [BatchAxis, size]);
            return _resolved[key] = column;
        }

        // A shaped column (ExtractPixels' [3, H, W], a [T, F] sequence) keeps its shape as the graph input; the steps read
        // it flat, as ML.NET does, and the network reshapes it back (ORT folds the pair away).
        private string ShapedInput(string column, VectorDataViewType shaped)
        {
            if (!_inputs.Contains(column)) Input(column, [BatchAxis, .. shaped.Dimensions.ToArray().Cast<object>()]);
            return _ctx.AddNode("Flatten", [column], _ctx.UniqueName($"{column}.flat"), $"{column}_flatten", OnnxAttribute.Int("axis", 1));
        }

        /// <summary>The image decoder the graph's pixel input comes from (null when the chain has none).</summary>
        public Pipelines.Images.ImagePixelsOptions? ImageDecoder { get; private set; }

        private string Step(int i, string column, List<ITransformer> steps, DataViewSchema[] schemas, JsonArray pre)
        {
            var step = steps[i];
            var size = schemas[i + 1][column].Type is VectorDataViewType v ? v.Size : 1;
            switch (step)
            {
                case ColumnConcatenatingTransformer concat:
                    var (_, inputs) = MlNetInternals.ConcatenatedColumns(concat).First(c => c.OutputColumnName == column);
                    var parts = inputs.Select(c => Column(c, i, steps, schemas, pre)).ToList();
                    pre.Add(new JsonObject { ["step"] = "Concatenate", ["output"] = column, ["inputs"] = new JsonArray(inputs.Select(x => (JsonNode)x!).ToArray()) });
                    return parts.Count == 1 ? parts[0] : _ctx.AddNode("Concat", parts, nodeName: $"concat_{column}", attributes: OnnxAttribute.Int("axis", 1));
                case NormalizingTransformer norm:
                    var pairs = MlNetInternals.ColumnPairs(norm)!;
                    int index = Array.FindIndex(pairs, p => p.OutputColumnName == column);
                    var source = Column(pairs[index].InputColumnName, i, steps, schemas, pre);
                    return Affine(norm.GetNormalizerModelParameters(index), source, column, size, i, pre);
                case Pipelines.Images.ImagePixelsTransformer pixels when pixels.OutputColumnName == column
                    && schemas[i + 1][column].Type is VectorDataViewType pixelType:
                    // Decoding a file is not an ONNX graph: the graph starts at the pixels, and the metadata says how to
                    // make them (image_decoder), so a scorer decodes as the chain did.
                    ImageDecoder = pixels.Options;
                    pre.Add(new JsonObject { ["step"] = "LoadImagePixels", ["output"] = column, ["input"] = pixels.ImagePathColumnName, ["appliedBefore"] = true });
                    return ShapedInput(column, pixelType);
                case ColumnCopyingTransformer copy:
                    var from = MlNetInternals.ColumnPairs(copy)!.First(p => p.OutputColumnName == column).InputColumnName;
                    return Column(from, i, steps, schemas, pre);
                default:
                    throw new OnnxExportException(
                        $"Pipeline step {i} ({step.GetType().Name}) writes the column '{column}' that feeds the network, and it cannot be written as ONNX. " +
                        "Supported on the way to the network: Concatenate, CopyColumns and affine normalisers (NormalizeMinMax, NormalizeMeanVariance, NormalizeMinMax-like scaling). " +
                        "Apply that step before scoring and export the chain that starts after it.");
            }
        }

        private string Affine(NormalizingTransformer.NormalizerModelParametersBase parameters, string input, string column, int size, int step, JsonArray pre)
        {
            float[] scale, offset;
            switch (parameters)
            {
                case NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> v:
                    scale = Expand(v.Scale, size, 1f); offset = Expand(v.Offset, size, 0f); break;
                case NormalizingTransformer.AffineNormalizerModelParameters<float> s:
                    scale = Enumerable.Repeat(s.Scale, size).ToArray(); offset = Enumerable.Repeat(s.Offset, size).ToArray(); break;
                default:
                    throw new OnnxExportException($"Pipeline step {step} normalises '{column}' with {parameters.GetType().Name}, which is not affine and cannot be written as ONNX. " +
                        "Use NormalizeMinMax or NormalizeMeanVariance (without useCdf).");
            }
            _folded++;
            string current = input;
            // ML.NET's affine normaliser: y = (x − offset) · scale.
            if (offset.Any(x => x != 0f)) current = _ctx.AddNode("Sub", [current, _ctx.AddConstant($"{column}.offset", offset, [size])], nodeName: $"normalize_{column}_sub");
            if (scale.Any(x => x != 1f)) current = _ctx.AddNode("Mul", [current, _ctx.AddConstant($"{column}.scale", scale, [size])], nodeName: $"normalize_{column}_mul");
            pre.Add(new JsonObject
            {
                ["step"] = "Normalize", ["output"] = column, ["formula"] = "(x - offset) * scale",
                ["offset_min"] = offset.Min(), ["offset_max"] = offset.Max(), ["scale_min"] = scale.Min(), ["scale_max"] = scale.Max(),
            });
            return current;
        }

        private static float[] Expand(ImmutableArray<float> values, int size, float empty) =>
            values.IsDefaultOrEmpty ? Enumerable.Repeat(empty, size).ToArray()
            : values.Length == size ? values.ToArray()
            : values.Length == 1 ? Enumerable.Repeat(values[0], size).ToArray()
            : throw new OnnxExportException($"A normaliser has {values.Length} values for a column of {size}.");

        public (ModelProto Model, OnnxExportInfo Info) Finish(IReadOnlyList<Engine.Layers.LayerSpec> layers, Activation activation, int[] inputShape, int outputs,
            string features, ScoreColumns columns, LabelValues? predictedValues, string featureColumn, JsonArray pre)
        {
            foreach (var name in columns.Names) _ctx.Reserve(name);
            string current = features;
            int inputSize = inputShape.Aggregate(1, (a, b) => a * b);
            if (inputShape.Length > 1)   // a flat column feeding a shaped network (images, sequences): [batch, ..shape]
                current = _ctx.AddNode("Reshape", [current, _ctx.AddInt64Constant("input_shape", [-1L, .. inputShape.Select(d => (long)d)], [inputShape.Length + 1])], nodeName: "input_reshape");
            foreach (var layer in layers)
                current = OnnxLayerMappings.Get(layer.Kind, layer.Name).Emit(_ctx, layer, current);
            // A last layer with a shaped output (a returned sequence [batch, T, H]) is scored row-wise over its
            // flattened values, as Sequential.Predict does.
            if (layers.Count > 0 && layers[^1].OutputShape.Length > 1)
                current = _ctx.AddNode("Flatten", [current], nodeName: "output_flatten", attributes: OnnxAttribute.Int("axis", 1));
            var outputNames = new List<string>();
            void Output(string name, TensorProto.Types.DataType type, object[] dims)
            {
                _graph.Output.Add(TensorValue(name, type, dims));
                outputNames.Add(name);
            }
            switch (columns.Kind)
            {
                case PredictionKind.BinaryClassification:
                    _ctx.AddNode("Identity", [current], ScoreColumns.Score, "score");
                    Output(ScoreColumns.Score, TensorProto.Types.DataType.Float, [BatchAxis, 1]);
                    var p = ActivationMapping.EmitActivation(_ctx, Activation.Sigmoid, null, current, ScoreColumns.Probability, "probability");
                    Output(p, TensorProto.Types.DataType.Float, [BatchAxis, 1]);
                    var positive = _ctx.AddNode("Greater", [p, _ctx.AddConstant("threshold", [0.5f], [])], nodeName: "predicted_label_threshold");
                    _ctx.AddNode("Squeeze", [positive, _ctx.AddInt64Constant("squeeze_axes", [1L], [1])], ScoreColumns.PredictedLabel, "predicted_label");
                    Output(ScoreColumns.PredictedLabel, TensorProto.Types.DataType.Bool, [BatchAxis]);
                    break;
                case PredictionKind.MulticlassClassification:
                    var score = ActivationMapping.EmitActivation(_ctx, activation, null, current, ScoreColumns.Score, "output_activation");
                    Output(score, TensorProto.Types.DataType.Float, [BatchAxis, outputs]);
                    if (predictedValues is null)
                    {
                        _ctx.AddNode("ArgMax", [score], ScoreColumns.PredictedLabel, "predicted_label", OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0));
                        Output(ScoreColumns.PredictedLabel, TensorProto.Types.DataType.Int64, [BatchAxis]);
                    }
                    else
                    {
                        var index = _ctx.AddNode("ArgMax", [score], nodeName: "predicted_class", attributes: [OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0)]);
                        var (table, type) = LabelTable(predictedValues);
                        _ctx.AddNode("Gather", [table, index], ScoreColumns.PredictedLabel, "predicted_label_value", OnnxAttribute.Int("axis", 0));
                        Output(ScoreColumns.PredictedLabel, type, [BatchAxis]);
                    }
                    break;
                default:
                    var value = ActivationMapping.EmitActivation(_ctx, activation, null, current, ScoreColumns.Score, "output_activation");
                    Output(value, TensorProto.Types.DataType.Float, [BatchAxis, outputs]);
                    break;
            }
            var version = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0";
            var proto = new ModelProto
            {
                IrVersion = IrVersionFor(_options.Opset),
                ProducerName = "DlBook.MLNet",
                ProducerVersion = version,
                Domain = "dlbook",
                ModelVersion = 1,
                DocString = _options.Description ?? Describe(columns.Kind, layers, activation),
                Graph = _graph,
            };
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = _options.Opset });
            void Meta(string k, string v) => proto.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
            Meta(OnnxMetadataKeys.Producer, "DlBook.MLNet");
            Meta(OnnxMetadataKeys.Version, version);
            Meta(OnnxMetadataKeys.Task, columns.Kind.ToString());
            if (columns.Labels is { } names) Meta(OnnxMetadataKeys.LabelNames, JsonSerializer.Serialize(names.Names));
            Meta(OnnxMetadataKeys.FeatureColumn, _inputs.Count == 1 ? _inputs[0] : featureColumn);
            Meta(OnnxMetadataKeys.InputShape, JsonSerializer.Serialize(inputShape));
            Meta(OnnxMetadataKeys.InputLayout, string.Join("; ", _inputs.Select(i => $"{i}: float32 [{BatchAxis}, …] row-major")) + "; the inputs are the raw columns before the folded preprocessing");
            if (ImageDecoder is { } d)
            {
                Meta(OnnxMetadataKeys.ImageSize, string.Create(CultureInfo.InvariantCulture, $"{d.Height},{d.Width},3"));
                Meta(OnnxMetadataKeys.ImageDecoder, new JsonObject
                {
                    ["imagePathColumn"] = d.ImagePathColumnName, ["pixelColumn"] = d.OutputColumnName, ["width"] = d.Width, ["height"] = d.Height,
                    ["resizing"] = d.Resizing.ToString(), ["cropAnchor"] = d.CropAnchor.ToString(), ["channelOrder"] = d.ChannelOrder.ToString(),
                    ["interleavePixelColors"] = d.InterleavePixelColors, ["offsetImage"] = d.OffsetImage, ["scaleImage"] = d.ScaleImage,
                    ["scaledDecode"] = d.ScaledDecode,
                }.ToJsonString());
            }
            else Meta(OnnxMetadataKeys.ImageSize, "none");
            if (_ctx.SequenceLengthsInput is { } lengths)
                Meta(OnnxMetadataKeys.SequenceLengths, $"{lengths}: int32 [{BatchAxis}], optional (default: every row full length T = {inputShape[0]}); " +
                    "the length of each right-padded row, 1 <= length <= T, fed to sequence_lens of every recurrent operator; " +
                    "steps t >= length are zeros in returned sequences and the last state is h at t = length - 1");
            Meta(OnnxMetadataKeys.Preprocessing, pre.ToJsonString());
            Meta(OnnxMetadataKeys.ScoreActivation, activation.ToString());
            Meta(OnnxMetadataKeys.PredictedLabel, predictedValues is null ? (columns.Kind == PredictionKind.MulticlassClassification ? "class index (key - 1)" : "bool") : "label value");
            var info = new OnnxExportInfo(null, _options.Opset, _inputs.Count == 1 ? _inputs[0] : string.Join(",", _inputs), inputShape.ToArray(), outputNames, _folded, _graph.Node.Count);
            return (proto, info);
        }

        private (string Name, TensorProto.Types.DataType Type) LabelTable(LabelValues values)
        {
            if (values.ItemType == "String") return (_ctx.AddStringConstant("label_values", values.Values), TensorProto.Types.DataType.String);
            if (values.ItemType is "Single" or "Double" or "Int32" or "UInt32" or "Int16" or "UInt16" or "Byte" or "SByte" or "Int64" or "UInt64")
            {
                // Numeric label values come out as float32 (ML.NET's MapKeyToValue of an MNIST Single label gives Single).
                var f = values.Values.Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                return (_ctx.AddConstant("label_values", f, [f.Length]), TensorProto.Types.DataType.Float);
            }
            throw new OnnxExportException($"Label values of type {values.ItemType} cannot be written as an ONNX lookup; drop the MapKeyToValue of PredictedLabel before exporting.");
        }
    }

    internal static ValueInfoProto TensorValue(string name, TensorProto.Types.DataType type, object[] dims)
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

    private static string Describe(PredictionKind task, IReadOnlyList<Engine.Layers.LayerSpec> layers, Activation activation)
    {
        var sb = new StringBuilder($"{task} network exported by DlBook.MLNet: ");
        sb.Append(string.Join(" → ", layers.Select(l => $"{l.Kind}({string.Join(",", l.OutputShape)})")));
        sb.Append($" → {activation}");
        return sb.ToString();
    }

    /// <summary>Writes the ONNX bytes through <see cref="Pipelines.IO.AtomicFile"/>: no half-written file is ever left at <paramref name="path"/>.</summary>
    internal static void WriteAtomically(string path, byte[] bytes) => Pipelines.IO.AtomicFile.WriteBytes(path, bytes);
}

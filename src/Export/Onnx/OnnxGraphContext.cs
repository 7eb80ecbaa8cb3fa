using System.Runtime.InteropServices;
using DlBook.Engine.Layers;
using DlBook.Engine.Tensors;
using DlBook.Export.Onnx.Proto;
using Google.Protobuf;

namespace DlBook.Export.Onnx;

/// <summary>
/// The graph being written: what an <see cref="IOnnxLayerMapping"/> uses to add nodes and constant
/// tensors, with names kept unique, and to read the trained parameter values of a layer.
/// </summary>
public sealed class OnnxGraphContext
{
    private readonly GraphProto _graph;
    private readonly Func<string, string, Tensor>? _parameters;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private string? _sequenceLengths;

    internal OnnxGraphContext(GraphProto graph, int opset, Func<string, string, Tensor>? parameters)
    {
        _graph = graph;
        Opset = opset;
        _parameters = parameters;
    }

    /// <summary>The ai.onnx opset the graph targets (mappings may choose operators by it).</summary>
    public int Opset { get; }

    /// <summary>
    /// The name of the optional graph input of per-row sequence lengths (<see cref="OnnxExporter.SequenceLengthsInput"/>)
    /// once a recurrent mapping has asked for it through <see cref="SequenceLengths"/>; null when the graph has none.
    /// </summary>
    public string? SequenceLengthsInput { get; private set; }

    /// <summary>A name not used yet in the graph, derived from <paramref name="hint"/>.</summary>
    public string UniqueName(string hint)
    {
        var name = hint;
        for (int i = 1; !_names.Add(name); i++) name = $"{hint}_{i}";
        return name;
    }

    /// <summary>Reserves a name chosen by the caller (graph inputs and outputs); throws if it is taken.</summary>
    internal void Reserve(string name)
    {
        if (!_names.Add(name))
            throw new OnnxExportException($"The ONNX graph already has a tensor named '{name}'. Rename the column or output.");
    }

    /// <summary>The trained values of parameter <paramref name="parameter"/> of <paramref name="layer"/>, checked against the shape the spec declares.</summary>
    public Tensor Parameter(LayerSpec layer, string parameter)
    {
        var spec = layer.Parameters.FirstOrDefault(p => p.Name == parameter)
            ?? throw new OnnxExportException($"Layer '{layer.Name}' ({layer.Kind}) has no parameter '{parameter}' (it has: {string.Join(", ", layer.Parameters.Select(p => p.Name))}). The model description is incomplete; re-train or re-save it.");
        if (_parameters is null)
            throw new OnnxExportException($"Layer '{layer.Name}' ({layer.Kind}) needs parameter values but the export has no model to read them from.");
        var value = _parameters(layer.Name, parameter);
        if (!value.Shape.SequenceEqual(spec.Shape))
            throw new OnnxExportException($"Layer '{layer.Name}' ({layer.Kind}): parameter '{parameter}' has shape {value.ShapeString}, its spec says [{string.Join(", ", spec.Shape)}]. The model is inconsistent; re-train or re-save it.");
        return value;
    }

    /// <summary>Adds a float32 constant (an initializer) and returns its name.</summary>
    public string AddConstant(string hint, ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
    {
        var name = UniqueName(hint);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        foreach (var d in shape) t.Dims.Add(d);
        // raw_data is little-endian IEEE 754 by the spec, which is what a float span is on every .NET platform we run on.
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>Adds an int32 constant and returns its name.</summary>
    public string AddInt32Constant(string hint, ReadOnlySpan<int> values, ReadOnlySpan<int> shape)
    {
        var name = UniqueName(hint);
        _graph.Initializer.Add(Int32Tensor(name, values, shape));
        return name;
    }

    /// <summary>
    /// The int32 [batch] tensor of per-row sequence lengths for a recurrent operator's <c>sequence_lens</c>, built once
    /// per graph from the batch-first sequence tensor <paramref name="sequence"/> [batch, T, …] that the first recurrent
    /// layer reads. It comes from the optional graph input <see cref="OnnxExporter.SequenceLengthsInput"/> (int32
    /// [batch]), whose default is an empty tensor: fed, its values are the lengths (1 ≤ length ≤ T, right-padded rows);
    /// left out, every row has length T. A fed tensor whose count is not a multiple of the batch fails in the runtime
    /// (a Reshape), so a wrong count is an error, not a silent mix of lengths.
    /// </summary>
    public string SequenceLengths(string sequence)
    {
        if (_sequenceLengths is not null) return _sequenceLengths;
        var input = OnnxExporter.SequenceLengthsInput;
        Reserve(input);
        _graph.Input.Add(OnnxExporter.TensorValue(input, TensorProto.Types.DataType.Int32, [OnnxExporter.BatchAxis]));
        // An initializer of the same name makes the input optional (ONNX IR ≥ 4): its default is the empty tensor.
        _graph.Initializer.Add(Int32Tensor(input, [], [0]));
        SequenceLengthsInput = input;

        // full = [T, T, …] (batch entries); lengths = row 0 of Reshape(Concat(fed, full), [−1, batch]), which is
        // `full` when nothing is fed (1 row) and the fed lengths when batch values are fed (2 rows).
        var shape = AddNode("Shape", [sequence], nodeName: "sequence_lengths_shape");
        var batch = AddNode("Gather", [shape, AddInt64Constant("sequence_lengths_batch_axis", [0L], [1])], nodeName: "sequence_lengths_batch",
            attributes: OnnxAttribute.Int("axis", 0));
        var steps = AddNode("Gather", [shape, AddInt64Constant("sequence_lengths_time_axis", [1L], [1])], nodeName: "sequence_lengths_steps",
            attributes: OnnxAttribute.Int("axis", 0));
        var steps32 = AddNode("Cast", [steps], nodeName: "sequence_lengths_steps_int32", attributes: OnnxAttribute.Int("to", (long)TensorProto.Types.DataType.Int32));
        var full = AddNode("Expand", [steps32, batch], nodeName: "sequence_lengths_full");
        var both = AddNode("Concat", [input, full], nodeName: "sequence_lengths_concat", attributes: OnnxAttribute.Int("axis", 0));
        var rows = AddNode("Concat", [AddInt64Constant("sequence_lengths_rows", [-1L], [1]), batch], nodeName: "sequence_lengths_table_shape",
            attributes: OnnxAttribute.Int("axis", 0));
        var table = AddNode("Reshape", [both, rows], nodeName: "sequence_lengths_table");
        _sequenceLengths = AddNode("Gather", [table, AddInt64Constant("sequence_lengths_row", [0L], [])], UniqueName("sequence_lengths"),
            "sequence_lengths", OnnxAttribute.Int("axis", 0));
        return _sequenceLengths;
    }

    /// <summary>Adds a string constant (class names) and returns its name.</summary>
    public string AddStringConstant(string hint, IReadOnlyList<string> values)
    {
        var name = UniqueName(hint);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.String };
        t.Dims.Add(values.Count);
        foreach (var v in values) t.StringData.Add(ByteString.CopyFromUtf8(v));
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>Adds an int64 constant (shapes, axes) and returns its name.</summary>
    public string AddInt64Constant(string hint, ReadOnlySpan<long> values, ReadOnlySpan<int> shape)
    {
        var name = UniqueName(hint);
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        foreach (var d in shape) t.Dims.Add(d);
        foreach (var v in values) t.Int64Data.Add(v);
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>
    /// Adds a node of the default (ai.onnx) domain with several outputs, named by the caller (an empty name leaves
    /// an optional output out, as ONNX allows).
    /// </summary>
    public void AddNodeWithOutputs(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string nodeName,
        params OnnxAttribute[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = UniqueName(nodeName) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var a in attributes) node.Attribute.Add(a.ToProto());
        _graph.Node.Add(node);
    }

    private static TensorProto Int32Tensor(string name, ReadOnlySpan<int> values, ReadOnlySpan<int> shape)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int32 };
        foreach (var d in shape) t.Dims.Add(d);
        foreach (var v in values) t.Int32Data.Add(v);
        return t;
    }

    /// <summary>
    /// Adds a node of the default (ai.onnx) domain and returns the name of its first output.
    /// <paramref name="output"/> null gives a fresh name derived from the op type.
    /// </summary>
    public string AddNode(string opType, IReadOnlyList<string> inputs, string? output = null, string? nodeName = null,
        params OnnxAttribute[] attributes)
    {
        var outName = output ?? UniqueName(opType.ToLowerInvariant());
        var node = new NodeProto { OpType = opType, Name = UniqueName(nodeName ?? $"{opType}_node") };
        node.Input.AddRange(inputs);
        node.Output.Add(outName);
        foreach (var a in attributes) node.Attribute.Add(a.ToProto());
        _graph.Node.Add(node);
        return outName;
    }
}

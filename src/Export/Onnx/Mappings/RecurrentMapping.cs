using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>
/// What the SimpleRnn, Lstm and Gru mappings share: the engine's batch-first [batch, T, in] is transposed to the
/// sequence-first [T, batch, in] that every runtime supports (layout = 0; ONNX Runtime does not take layout = 1
/// everywhere), the operator gets W, R and B exactly as the engine stores them (they are already in the ONNX layout)
/// and the graph's per-row lengths (<see cref="OnnxGraphContext.SequenceLengths"/>) as <c>sequence_lens</c>, and its
/// result is laid out as the engine's: with returnSequences Y [T, dirs, batch, H] becomes [batch, T, dirs·H], else
/// Y_h [dirs, batch, H] becomes [batch, dirs·H] — directions concatenated forward ‖ backward on the feature axis.
/// </summary>
/// <remarks>
/// Lengths. Past a row's length ONNX Runtime writes zeros into Y and keeps Y_h at the last valid step, and its
/// backward direction reverses each row within its length; the engine does the same (see
/// <see cref="ISequenceLengthAware"/>), so returned sequences and last states agree on padded rows too. The settings
/// that only matter for training (bpttSteps, the initialisers) are not written; the initial state is zeros, as the
/// engine's default.
/// </remarks>
public abstract class RecurrentMapping : IOnnxLayerMapping
{
    /// <inheritdoc />
    public abstract string Kind { get; }

    /// <summary>The ONNX operator (RNN, LSTM or GRU).</summary>
    protected abstract string OpType { get; }

    /// <summary>Gate blocks G of the cell (RNN 1, GRU 3, LSTM 4).</summary>
    protected abstract int Gates { get; }

    /// <summary>The operator's cell-specific attributes (activations, linear_before_reset); throws <see cref="OnnxExportException"/> for settings ONNX cannot express.</summary>
    protected abstract IEnumerable<OnnxAttribute> CellAttributes(LayerSpec layer, int directions);

    /// <inheritdoc />
    // x: [batch, T, in] → Transpose → [T, batch, in] → op(W, R, B, sequence_lens) → Y [T, dirs, batch, H] or Y_h [dirs, batch, H]
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input)
    {
        if (layer.InputShape.Length != 2)
            throw new OnnxExportException($"Layer '{layer.Name}' ({layer.Kind}) reads [{string.Join(", ", layer.InputShape)}], not a sequence [T, features]; the model description is inconsistent. Re-train or re-save it.");
        if (!layer.Has("units"))
            throw new OnnxExportException($"Layer '{layer.Name}' ({layer.Kind}) has no 'units' setting; the model description is incomplete. Re-train or re-save it.");
        int units = layer.GetInt("units"), inputs = layer.InputShape[1], gh = Gates * units;
        bool sequences = layer.GetBool("returnSequences", false);
        int dirs = layer.GetBool("bidirectional", false) ? 2 : 1;
        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.Int("hidden_size", units),
            OnnxAttribute.String("direction", dirs == 2 ? "bidirectional" : "forward"),
        };
        attributes.AddRange(CellAttributes(layer, dirs));

        string Weights(string name, params int[] shape)
        {
            var t = graph.Parameter(layer, name);
            if (!t.Shape.SequenceEqual(shape))
                throw new OnnxExportException($"Layer '{layer.Name}' ({layer.Kind}): {name} is {t.ShapeString} but {units} units, {dirs} direction(s) and {inputs} inputs need [{string.Join(", ", shape)}].");
            return graph.AddConstant($"{layer.Name}.{name}", t.Span, t.Shape);
        }
        var w = Weights("W", dirs, gh, inputs);
        var r = Weights("R", dirs, gh, units);
        var b = Weights("B", dirs, 2 * gh);
        var lengths = graph.SequenceLengths(input);

        var x = graph.AddNode("Transpose", [input], graph.UniqueName($"{layer.Name}.time_major"), $"{layer.Name}_to_time_major",
            OnnxAttribute.Ints("perm", 1, 0, 2));
        var state = graph.UniqueName($"{layer.Name}.{(sequences ? "Y" : "Y_h")}");
        graph.AddNodeWithOutputs(OpType, [x, w, r, b, lengths], sequences ? [state] : ["", state], layer.Name, [.. attributes]);
        // Y [T, dirs, batch, H] → [batch, T, dirs, H] → [batch, T, dirs·H]; Y_h [dirs, batch, H] → [batch, dirs, H] → [batch, dirs·H].
        var batchFirst = graph.AddNode("Transpose", [state], graph.UniqueName($"{layer.Name}.batch_first"), $"{layer.Name}_to_batch_first",
            OnnxAttribute.Ints("perm", sequences ? [2, 0, 1, 3] : [1, 0, 2]));
        var shape = sequences
            ? graph.AddInt64Constant($"{layer.Name}.out_shape", [0L, 0L, dirs * units], [3])
            : graph.AddInt64Constant($"{layer.Name}.out_shape", [0L, dirs * units], [2]);
        return graph.AddNode("Reshape", [batchFirst, shape], graph.UniqueName($"{layer.Name}.out"), $"{layer.Name}_concat_directions");
    }
}

/// <summary>
/// SimpleRnn → ONNX RNN with activations Tanh or Relu (one per direction), through <see cref="RecurrentMapping"/>:
/// h = f(W x + R h₋ + Wb + Rb).
/// </summary>
public sealed class SimpleRnnMapping : RecurrentMapping
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.SimpleRnn;

    /// <inheritdoc />
    protected override string OpType => "RNN";

    /// <inheritdoc />
    protected override int Gates => 1;

    /// <inheritdoc />
    protected override IEnumerable<OnnxAttribute> CellAttributes(LayerSpec layer, int directions)
    {
        var text = layer.GetString("activation", "Tanh");
        var activation = text.ToLowerInvariant() switch
        {
            "tanh" => "Tanh",
            "relu" => "Relu",
            _ => throw new OnnxExportException($"Layer '{layer.Name}' (SimpleRnn) has activation '{text}'; the ONNX RNN export supports Tanh and Relu."),
        };
        yield return OnnxAttribute.Strings("activations", Enumerable.Repeat(activation, directions).ToArray());
    }
}

/// <summary>
/// Lstm → ONNX LSTM with its default activations (σ, tanh, tanh), no peepholes and no clipping, through
/// <see cref="RecurrentMapping"/>; the engine's gate blocks are already in the ONNX order i, o, f, c.
/// </summary>
public sealed class LstmMapping : RecurrentMapping
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.Lstm;

    /// <inheritdoc />
    protected override string OpType => "LSTM";

    /// <inheritdoc />
    protected override int Gates => 4;

    /// <inheritdoc />
    protected override IEnumerable<OnnxAttribute> CellAttributes(LayerSpec layer, int directions) => [];
}

/// <summary>
/// Gru → ONNX GRU with linear_before_reset = 1 and its default activations (σ, tanh), through
/// <see cref="RecurrentMapping"/>: h̃ = tanh(W_h x + Wb_h + r ⊙ (R_h h₋ + Rb_h)), gate blocks z, r, h.
/// </summary>
public sealed class GruMapping : RecurrentMapping
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.Gru;

    /// <inheritdoc />
    protected override string OpType => "GRU";

    /// <inheritdoc />
    protected override int Gates => 3;

    /// <inheritdoc />
    protected override IEnumerable<OnnxAttribute> CellAttributes(LayerSpec layer, int directions)
    {
        if (!layer.GetBool("linearBeforeReset", true))
            throw new OnnxExportException($"Layer '{layer.Name}' (Gru) has linearBeforeReset = false; the engine computes and exports only linear_before_reset = 1. Re-train it with linearBeforeReset = true.");
        yield return OnnxAttribute.Int("linear_before_reset", 1);
    }
}

using System.Globalization;
using DlBook.Engine.Initializers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Token embedding: ids [batch, T] (whole numbers stored as floats) → rows of W [vocab, dim], output [batch, T, dim].
/// Settings: vocab, dim, paddingIndex (default −1 = none: that id's row starts and stays zero and gets no gradient,
/// as PyTorch's padding_idx), init (default Uniform, Keras's ±0.05). Any T ≥ 1 is accepted at Forward. The ids get no
/// gradient: Backward returns zeros.
/// </summary>
public sealed class EmbeddingLayer : ILayer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private int[] _ids = [];
    private int _rows = -1, _steps;

    private EmbeddingLayer(LayerSpec spec, int vocab, int dim, int paddingIndex)
    {
        Spec = spec;
        Vocabulary = vocab;
        Dimension = dim;
        PaddingIndex = paddingIndex;
        Weights = new Parameter("W", new Tensor(vocab, dim), isWeight: true);
        _parameters = [Weights];
        _output = new Tensor(1, 1, dim);
        _inputGradient = new Tensor(1, 1);
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>W [vocab, dim]: row i is the vector of token id i.</summary>
    public Parameter Weights { get; }

    /// <summary>Number of token ids (valid ids are 0 … vocab − 1).</summary>
    public int Vocabulary { get; }

    /// <summary>Values per token.</summary>
    public int Dimension { get; }

    /// <summary>The padding id whose row is zero and never learns, or −1 for none.</summary>
    public int PaddingIndex { get; }

    /// <summary>The output of the last Forward, [batch, T, dim]; a recurrent layer fed by it recognises it by reference.</summary>
    internal Tensor Output => _output;

    /// <summary>The token ids of the last Forward, row-major [batch, T].</summary>
    internal ReadOnlySpan<int> Ids => _ids.AsSpan(0, Math.Max(0, _rows) * _steps);

    /// <summary>
    /// Set by the recurrent layer this one feeds when its Backward has already written <see cref="Parameter.Gradient"/>
    /// of <see cref="Weights"/> from its per-token sums (see <see cref="RecurrentLayer"/>); the next Backward then
    /// leaves it as it is.
    /// </summary>
    internal bool GradientWritten { get; set; }

    /// <summary>Builds an Embedding layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    public static EmbeddingLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        int vocab = spec.GetInt("vocab"), dim = spec.GetInt("dim");
        if (vocab <= 0 || dim <= 0)
            throw new ArgumentException($"Layer '{spec.Name}' (Embedding) needs vocab > 0 and dim > 0; got vocab {vocab}, dim {dim}.");
        if (inputShape.Length != 1 || inputShape[0] <= 0)
            throw new ArgumentException(
                $"Layer '{spec.Name}' (Embedding) needs token ids [T]; got [{string.Join(", ", inputShape)}].");
        if (!spec.Has("paddingIndex")) spec.With("paddingIndex", -1);
        if (!spec.Has("init")) spec.With("init", "Uniform");
        int padding = spec.GetInt("paddingIndex");
        if (padding < -1 || padding >= vocab)
            throw new ArgumentException($"Layer '{spec.Name}' (Embedding): paddingIndex {padding} is outside [0, {vocab}) and not −1 (none).");
        var init = InitializerFactory.Create(spec.GetString("init"));
        spec.InputShape = inputShape;
        spec.OutputShape = [inputShape[0], dim];
        spec.Parameters.Clear();
        spec.Parameters.Add(new ParameterSpec("W", [vocab, dim]));
        var layer = new EmbeddingLayer(spec, vocab, dim, padding);
        if (rng is not null)
        {
            init.Fill(layer.Weights.Value, vocab, dim, rng);
            if (padding >= 0) layer.Weights.Value.Row(padding).Clear();
        }
        return layer;
    }

    /// <inheritdoc />
    // ids: [batch, T] → y: [batch, T, dim]; W: [vocab, dim]
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.RowSize <= 0)
            throw new ArgumentException(
                $"Layer '{Spec.Name}' (Embedding) expects token ids [batch, T] but got {input.ShapeString}.");
        int batch = input.Rows, steps = input.RowSize, dim = Dimension;
        if (_ids.Length < batch * steps) _ids = new int[batch * steps];
        var x = input.Span;
        for (int i = 0; i < batch * steps; i++)
        {
            float v = x[i];
            if (!(v >= 0 && v < Vocabulary) || v != MathF.Floor(v))
                throw new ArgumentOutOfRangeException(nameof(input), string.Create(CultureInfo.InvariantCulture,
                    $"Layer '{Spec.Name}' (Embedding): token id {v} at row {i / steps}, step {i % steps} is not a whole number in [0, {Vocabulary}). Map tokens to ids below the vocabulary size, or raise vocab."));
            _ids[i] = (int)v;
        }
        _rows = batch;
        _steps = steps;
        GradientWritten = false;
        _output.Resize(batch, steps, dim);
        var y = _output.Span;
        var w = Weights.Value;
        for (int i = 0; i < batch * steps; i++) w.Row(_ids[i]).CopyTo(y.Slice(i * dim, dim));
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, T, dim] → dW[id] += dy[b, t] (the padding row gets none); the ids get a zero gradient [batch, T]
    public Tensor Backward(Tensor outputGradient)
    {
        LayerChecks.Forwarded(Spec, _rows);
        ArgumentNullException.ThrowIfNull(outputGradient);
        int n = _rows * _steps, dim = Dimension;
        if (GradientWritten)
        {
            // The recurrent layer fed by this one wrote dW from its per-token sums; its input gradient is empty.
            GradientWritten = false;
            _inputGradient.Resize(_rows, _steps);
            _inputGradient.Clear();
            return _inputGradient;
        }
        LayerChecks.Gradient(Spec, outputGradient, _rows, _steps * dim);
        var dy = outputGradient.Span;
        var dw = Weights.Gradient;
        dw.Clear();
        for (int i = 0; i < n; i++)
        {
            int id = _ids[i];
            if (id == PaddingIndex) continue;
            var row = dw.Row(id);
            System.Numerics.Tensors.TensorPrimitives.Add(row, dy.Slice(i * dim, dim), row);
        }
        _inputGradient.Resize(_rows, _steps);
        _inputGradient.Clear();
        return _inputGradient;
    }
}

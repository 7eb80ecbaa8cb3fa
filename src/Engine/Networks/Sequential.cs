using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Networks;

/// <summary>
/// A network as an ordered list of layers built from their specs. <see cref="Forward"/> returns the logits
/// (the last layer's pre-activation); the loss applies the output activation itself, and
/// <see cref="Predict"/> applies it for inference. Buffers live in the layers and are reused, so a
/// training step at a fixed batch size allocates nothing. Not thread-safe: one network per thread.
/// </summary>
public sealed class Sequential
{
    private readonly ILayer[] _layers;
    private readonly Parameter[] _parameters;
    private readonly Tensor _predictions;

    /// <summary>
    /// Builds the layers in order, filling each spec's name (when empty: "dense1", "act1", …), shapes and
    /// parameters. Parameters are initialised from <paramref name="rng"/>, or left neutral when it is null (for loading).
    /// </summary>
    /// <exception cref="ArgumentException">No layers, duplicate names or settings that do not fit; the message names the layer.</exception>
    public Sequential(IReadOnlyList<LayerSpec> specs, int[] inputShape, Activation outputActivation, Rng? rng)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(inputShape);
        if (specs.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(specs));
        if (inputShape.Length == 0 || Tensor.ComputeLength(inputShape) <= 0)
            throw new ArgumentException($"The input shape [{string.Join(", ", inputShape)}] is empty.", nameof(inputShape));
        AssignNames(specs);
        InputShape = (int[])inputShape.Clone();
        OutputActivation = outputActivation;
        _layers = new ILayer[specs.Count];
        int[] shape = InputShape;
        for (int i = 0; i < specs.Count; i++)
        {
            _layers[i] = LayerFactory.Build(specs[i], shape, rng);
            shape = specs[i].OutputShape;
        }
        // The network's input needs no gradient; for the book's nets that is the biggest GEMM of the backward pass.
        if (_layers[0] is DenseLayer first) first.ComputeInputGradient = false;
        if (_layers[0] is RecurrentLayer recurrent) recurrent.ComputeInputGradient = false;
        if (_layers[0] is TimeDistributedDenseLayer timeDense) timeDense.ComputeInputGradient = false;
        if (_layers[0] is Conv2dLayer conv) conv.ComputeInputGradient = false;
        // Pairs of layers that share work: an Embedding feeding a recurrent layer (its input projection becomes a
        // per-token table, see RecurrentLayer.Tokens), a ReLU feeding a max pool.
        for (int i = 0; i + 1 < _layers.Length; i++)
        {
            if (_layers[i] is EmbeddingLayer embedding && _layers[i + 1] is RecurrentLayer fed) fed.Tokens = embedding;
            // A ReLU feeding a max pool: the pool's backward applies ReLU′ where it routes (see MaxPool2dLayer.Relu).
            if (_layers[i] is ActivationLayer { Activation: Activation.Relu } relu && _layers[i + 1] is MaxPool2dLayer pool) pool.Relu = relu;
        }
        Specs = specs.ToArray();
        _parameters = _layers.SelectMany(l => l.Parameters).ToArray();
        OutputShape = (int[])shape.Clone();
        OutputSize = Tensor.ComputeLength(shape);
        _predictions = new Tensor(1, OutputSize);
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<ILayer> Layers => _layers;

    /// <summary>The completed specs, in order (what a model package stores).</summary>
    public IReadOnlyList<LayerSpec> Specs { get; }

    /// <summary>Every parameter of every layer, in layer order (trainable and running statistics).</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Per-sample input shape.</summary>
    public int[] InputShape { get; }

    /// <summary>Per-sample output shape of the last layer.</summary>
    public int[] OutputShape { get; }

    /// <summary>Outputs per sample.</summary>
    public int OutputSize { get; }

    /// <summary>The activation turning logits into outputs (Sigmoid, Softmax, Identity, …).</summary>
    public Activation OutputActivation { get; }

    /// <summary>x: [batch, ..InputShape] → logits [batch, OutputSize]. The result is valid until the next call.</summary>
    public Tensor Forward(Tensor x, bool training)
    {
        var h = x;
        for (int i = 0; i < _layers.Length; i++) h = _layers[i].Forward(h, training);
        return h;
    }

    /// <summary>Back-propagates ∂C/∂logits [batch, OutputSize] of the last <see cref="Forward"/>, writing every parameter's gradient.</summary>
    public void Backward(Tensor dLogits)
    {
        var g = dLogits;
        for (int i = _layers.Length - 1; i >= 0; i--) g = _layers[i].Backward(g);
    }

    /// <summary>Inference: x: [batch, ..InputShape] → activated outputs [batch, OutputSize]. Valid until the next call.</summary>
    public Tensor Predict(Tensor x)
    {
        var logits = Forward(x, training: false);
        _predictions.ResizeRows(logits.Rows);
        ActivationFunctions.Forward(OutputActivation, logits.Span, _predictions.Span, OutputSize);
        return _predictions;
    }

    /// <summary>
    /// Stateful inference: <see cref="Forward"/> in inference mode where every recurrent layer starts from the state the
    /// previous call left (<see cref="RecurrentLayer.ForwardStateful"/>), so a sequence can be fed a piece — e.g. one
    /// token — at a time without re-running its prefix. <see cref="ResetState"/> starts a new sequence.
    /// </summary>
    public Tensor ForwardStateful(Tensor x)
    {
        var h = x;
        for (int i = 0; i < _layers.Length; i++)
            h = _layers[i] is RecurrentLayer r ? r.ForwardStateful(h) : _layers[i].Forward(h, training: false);
        return h;
    }

    /// <summary>Forgets the state of every recurrent layer (see <see cref="ForwardStateful"/>).</summary>
    public void ResetState()
    {
        foreach (var layer in _layers)
            if (layer is RecurrentLayer r) r.ResetState();
    }

    /// <summary>
    /// Sets the per-row lengths of right-padded sequence batches on every <see cref="ISequenceLengthAware"/> layer
    /// (see <see cref="ISequenceLengthAware.SetLengths"/>): one entry per row, 0 ≤ length ≤ T; an empty span clears
    /// them (every row full length). They stay in force for the following Forward calls until changed.
    /// </summary>
    public void SetSequenceLengths(ReadOnlySpan<int> lengths)
    {
        foreach (var layer in _layers)
            if (layer is ISequenceLengthAware aware) aware.SetLengths(lengths);
    }

    /// <summary>The layer called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such layer; the message lists the names.</exception>
    public ILayer Layer(string name) =>
        _layers.FirstOrDefault(l => l.Spec.Name == name)
        ?? throw new KeyNotFoundException($"The network has no layer '{name}'. Layers: {string.Join(", ", _layers.Select(l => l.Spec.Name))}.");

    private static void AssignNames(IReadOnlyList<LayerSpec> specs)
    {
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (!string.IsNullOrEmpty(spec.Name)) seen.Add(spec.Name);
        }
        foreach (var spec in specs)
        {
            if (!string.IsNullOrEmpty(spec.Name)) continue;
            string prefix = NetworkBuilder.NamePrefix(spec.Kind);
            string name;
            do
            {
                counts[prefix] = counts.GetValueOrDefault(prefix) + 1;
                name = prefix + counts[prefix];
            } while (!seen.Add(name));
            spec.Name = name;
        }
        var duplicate = specs.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Two layers are named '{duplicate.Key}'; layer names must be unique.", nameof(specs));
    }
}

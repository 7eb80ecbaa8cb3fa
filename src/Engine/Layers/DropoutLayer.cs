using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Inverted dropout: while training each value is kept with probability 1 − rate and scaled by
/// 1/(1 − rate), so inference is the identity. The mask comes from the layer's own seeded generator
/// (forked from the network's, or the "seed" setting when built without one). Settings: rate.
/// </summary>
public sealed class DropoutLayer : ILayer, IStochasticLayer
{
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly Tensor _mask;
    private readonly int _size;
    private readonly Rng _rng;
    private bool _lastWasTraining;

    private DropoutLayer(LayerSpec spec, float rate, int size, Rng rng)
    {
        Spec = spec;
        Rate = rate;
        _size = size;
        _rng = rng;
        _output = LayerChecks.Buffer(spec.InputShape);
        _inputGradient = LayerChecks.Buffer(spec.InputShape);
        _mask = LayerChecks.Buffer(spec.InputShape);
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public Rng TrainingRandom => _rng;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Probability of dropping a value.</summary>
    public float Rate { get; }

    /// <summary>When true, training-mode forwards reuse the last mask (for gradient checks).</summary>
    internal bool FreezeMask { get; set; }

    /// <summary>The last mask: 0 or 1/(1 − rate) per value.</summary>
    internal Tensor Mask => _mask;

    /// <summary>Builds a Dropout layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    public static DropoutLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        float rate = spec.GetFloat("rate");
        if (!(rate >= 0 && rate < 1))
            throw new ArgumentException($"Layer '{spec.Name}' (Dropout) needs 0 ≤ rate < 1; got {rate}.");
        spec.InputShape = inputShape;
        spec.OutputShape = (int[])inputShape.Clone();
        spec.Parameters.Clear();
        var own = rng?.Fork() ?? new Rng((ulong)spec.GetInt("seed", 0));
        return new DropoutLayer(spec, rate, LayerChecks.Size(inputShape), own);
    }

    /// <inheritdoc />
    // x: [batch, ..shape] → y = x ⊙ mask: [batch, ..shape]; identity when not training
    public Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.Input(Spec, input, _size);
        _lastWasTraining = training && Rate > 0;
        if (!_lastWasTraining)
        {
            LayerChecks.EnsureRows(_output, input, input.Rows);
            input.Span.CopyTo(_output.Span);
            return _output;
        }
        int rows = input.Rows;
        if (!FreezeMask || _mask.Rows != rows)
        {
            LayerChecks.EnsureRows(_mask, input, rows);
            FillMask(_rng, Rate, _mask.Span);
        }
        LayerChecks.EnsureRows(_output, input, rows);
        TensorPrimitives.Multiply(input.Span, _mask.Span, _output.Span);
        return _output;
    }

    /// <summary>
    /// An inverted-dropout mask: each entry 1/(1 − <paramref name="rate"/>) with probability 1 − rate, else 0, drawn in
    /// order from <paramref name="rng"/> (values for <see cref="DropoutLayer"/>, whole channels for <see cref="SpatialDropout2dLayer"/>).
    /// </summary>
    internal static void FillMask(Rng rng, float rate, Span<float> mask)
    {
        float scale = 1f / (1f - rate);
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextFloat() >= rate ? scale : 0f;
    }

    /// <inheritdoc />
    // dy: [batch, ..shape] → dx = dy ⊙ mask: [batch, ..shape]
    public Tensor Backward(Tensor outputGradient)
    {
        LayerChecks.Gradient(Spec, outputGradient, _output.Rows, _size);
        LayerChecks.EnsureRows(_inputGradient, _output, _output.Rows);
        if (_lastWasTraining) TensorPrimitives.Multiply(outputGradient.Span, _mask.Span, _inputGradient.Span);
        else outputGradient.Span.CopyTo(_inputGradient.Span);
        return _inputGradient;
    }
}

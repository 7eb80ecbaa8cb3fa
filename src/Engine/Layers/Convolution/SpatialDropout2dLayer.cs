using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Spatial (channel) dropout, Keras's SpatialDropout2D and PyTorch's Dropout2d: while training each channel of each
/// sample is kept whole with probability 1 − rate and scaled by 1/(1 − rate), or zeroed whole; inference is the
/// identity. Neighbouring pixels of a feature map are strongly correlated, so dropping single values would hardly
/// regularise. The mask comes from the layer's own seeded generator (forked from the network's, or the "seed"
/// setting when built without one), as <see cref="DropoutLayer"/>. Settings: rate; seed (0).
/// </summary>
public sealed class SpatialDropout2dLayer : ILayer, IStochasticLayer
{
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly int _channels, _height, _width, _plane;
    private readonly Rng _rng;
    private float[] _mask = [];
    private int _rows = -1;
    private bool _lastWasTraining;

    private SpatialDropout2dLayer(LayerSpec spec, float rate, int channels, int height, int width, Rng rng)
    {
        Spec = spec;
        Rate = rate;
        _channels = channels;
        _height = height;
        _width = width;
        _plane = height * width;
        _rng = rng;
        _output = LayerChecks.Buffer(spec.InputShape);
        _inputGradient = LayerChecks.Buffer(spec.InputShape);
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public Rng TrainingRandom => _rng;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Probability of dropping a channel.</summary>
    public float Rate { get; }

    /// <summary>When true, training-mode forwards reuse the last mask (for gradient checks).</summary>
    internal bool FreezeMask { get; set; }

    /// <summary>The last mask, per [sample, channel]: 0 or 1/(1 − rate).</summary>
    internal ReadOnlySpan<float> Mask => _mask.AsSpan(0, Math.Max(0, _rows) * _channels);

    /// <summary>Builds a SpatialDropout2d layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    /// <exception cref="ArgumentException">rate outside [0, 1) or an input that is not [C, H, W].</exception>
    public static SpatialDropout2dLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        var (c, h, w) = ConvSettings.Input(spec, inputShape);
        if (!spec.Has("rate")) throw new ArgumentException($"Layer '{spec.Name}' (SpatialDropout2d) needs the setting 'rate' (the probability of dropping a channel, e.g. 0.2).");
        float rate = spec.GetFloat("rate");
        if (!(rate >= 0 && rate < 1))
            throw new ArgumentException($"Layer '{spec.Name}' (SpatialDropout2d): setting 'rate' must be in [0, 1); got {rate}.");
        spec.InputShape = inputShape;
        spec.OutputShape = (int[])inputShape.Clone();
        spec.Parameters.Clear();
        var own = rng?.Fork() ?? new Rng((ulong)spec.GetInt("seed", 0));
        return new SpatialDropout2dLayer(spec, rate, c, h, w, own);
    }

    /// <inheritdoc />
    // x: [batch, C, H, W] → y[n, c] = x[n, c]·mask[n, c]: [batch, C, H, W]; identity when not training
    public Tensor Forward(Tensor input, bool training)
    {
        ConvSettings.CheckBatch(Spec, input, _channels, _height, _width);
        int rows = input.Rows;
        _output.ResizeRows(rows);
        _lastWasTraining = training && Rate > 0;
        if (!_lastWasTraining)
        {
            _rows = rows;
            input.Span.CopyTo(_output.Span);
            return _output;
        }
        int planes = rows * _channels;
        if (!FreezeMask || _rows != rows)
        {
            if (_mask.Length < planes) _mask = new float[planes];
            DropoutLayer.FillMask(_rng, Rate, _mask.AsSpan(0, planes));
        }
        _rows = rows;
        var x = input.Span;
        var y = _output.Span;
        for (int p = 0; p < planes; p++)
        {
            var dst = y.Slice(p * _plane, _plane);
            if (_mask[p] == 0) dst.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(x.Slice(p * _plane, _plane), _mask[p], dst);
        }
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, C, H, W] → dx = dy·mask per channel: [batch, C, H, W]
    public Tensor Backward(Tensor outputGradient)
    {
        LayerChecks.Forwarded(Spec, _rows);
        LayerChecks.Gradient(Spec, outputGradient, _rows, _channels * _plane);
        _inputGradient.ResizeRows(_rows);
        var dy = outputGradient.Span;
        var dx = _inputGradient.Span;
        if (!_lastWasTraining)
        {
            dy.CopyTo(dx);
            return _inputGradient;
        }
        for (int p = 0; p < _rows * _channels; p++)
        {
            var dst = dx.Slice(p * _plane, _plane);
            if (_mask[p] == 0) dst.Clear();
            else System.Numerics.Tensors.TensorPrimitives.Multiply(dy.Slice(p * _plane, _plane), _mask[p], dst);
        }
        return _inputGradient;
    }
}

using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Batch normalisation per channel of samples laid out as [channels, plane] (PyTorch's BatchNorm1d with plane 1,
/// BatchNorm2d with plane H·W): training normalises each channel with the mean and biased variance over
/// batch × plane and updates the running statistics as r ← (1 − momentum)·r + momentum·batchStat (the running
/// variance takes the unbiased variance, over batch·plane − 1); inference uses the running statistics, and its
/// backward treats them as constants. Trainable gamma, beta [channels]; non-trainable runningMean, runningVar
/// [channels]. Settings: epsilon (1e-5), momentum (0.1). The two kinds differ only in how the sample shape splits
/// into channels and plane (see <see cref="BatchNorm1dLayer"/> and <see cref="BatchNorm2dLayer"/>).
/// </summary>
public abstract class BatchNormLayer : ILayer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly Tensor _normalized;
    private readonly float[] _invStd;
    private readonly float[] _centre;
    private readonly double[] _mean;
    private readonly double[] _sumSq;
    private readonly int _channels, _plane;
    private int _rows = -1;
    private bool _lastWasTraining;

    private protected BatchNormLayer(LayerSpec spec, int channels, int plane, float epsilon, float momentum)
    {
        Spec = spec;
        _channels = channels;
        _plane = plane;
        Epsilon = epsilon;
        Momentum = momentum;
        Gamma = new Parameter("gamma", new Tensor(channels), isWeight: false);
        Beta = new Parameter("beta", new Tensor(channels), isWeight: false);
        RunningMean = new Parameter("runningMean", new Tensor(channels), isWeight: false, trainable: false);
        RunningVar = new Parameter("runningVar", new Tensor(channels), isWeight: false, trainable: false);
        Gamma.Value.Span.Fill(1f);
        RunningVar.Value.Span.Fill(1f);
        _parameters = [Gamma, Beta, RunningMean, RunningVar];
        _output = LayerChecks.Buffer(spec.InputShape);
        _inputGradient = LayerChecks.Buffer(spec.InputShape);
        _normalized = LayerChecks.Buffer(spec.InputShape);
        _invStd = new float[channels];
        _centre = new float[channels];
        _mean = new double[channels];
        _sumSq = new double[channels];
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Scale γ [channels].</summary>
    public Parameter Gamma { get; }

    /// <summary>Shift β [channels].</summary>
    public Parameter Beta { get; }

    /// <summary>Running mean [channels] (not trainable).</summary>
    public Parameter RunningMean { get; }

    /// <summary>Running variance [channels] (not trainable).</summary>
    public Parameter RunningVar { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>
    /// Reads epsilon and momentum (writing the defaults back), fills the spec's shapes and parameters for
    /// <paramref name="channels"/> channels and returns the two settings.
    /// </summary>
    /// <exception cref="ArgumentException">epsilon ≤ 0 or momentum outside [0, 1]; the message names the layer.</exception>
    private protected static (float Epsilon, float Momentum) Complete(LayerSpec spec, int[] inputShape, int channels)
    {
        if (!spec.Has("epsilon")) spec.With("epsilon", 1e-5f);
        if (!spec.Has("momentum")) spec.With("momentum", 0.1f);
        float eps = spec.GetFloat("epsilon"), momentum = spec.GetFloat("momentum");
        if (!(eps > 0))
            throw new ArgumentException($"Layer '{spec.Name}' ({spec.Kind}): setting 'epsilon' must be > 0; got {eps}. Use a small positive value such as 1e-5.");
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentException($"Layer '{spec.Name}' ({spec.Kind}): setting 'momentum' must be in [0, 1]; got {momentum}. PyTorch's default is 0.1.");
        spec.InputShape = inputShape;
        spec.OutputShape = (int[])inputShape.Clone();
        spec.Parameters.Clear();
        spec.Parameters.Add(new ParameterSpec("gamma", [channels]));
        spec.Parameters.Add(new ParameterSpec("beta", [channels]));
        spec.Parameters.Add(new ParameterSpec("runningMean", [channels]));
        spec.Parameters.Add(new ParameterSpec("runningVar", [channels]));
        return (eps, momentum);
    }

    /// <summary>Throws unless <paramref name="input"/> fits the layer (the 2-D kind also checks [C, H, W]).</summary>
    private protected virtual void CheckInput(Tensor input) => LayerChecks.Input(Spec, input, _channels * _plane);

    /// <inheritdoc />
    // x: [batch, C, plane] → y = γ·(x − μ_c)/√(σ²_c + ε) + β: [batch, C, plane]; γ, β, running stats: [C]
    public Tensor Forward(Tensor input, bool training)
    {
        CheckInput(input);
        int rows = input.Rows, c = _channels, plane = _plane;
        LayerChecks.EnsureRows(_output, input, rows);
        LayerChecks.EnsureRows(_normalized, input, rows);
        var x = input.Span;
        var mean = RunningMean.Value.Span;
        var variance = RunningVar.Value.Span;
        if (training)
        {
            if (rows == 0) throw new ArgumentException($"Layer '{Spec.Name}' ({Spec.Kind}) got an empty batch; training needs at least one sample.");
            long count = (long)rows * plane;
            Array.Clear(_mean);
            Array.Clear(_sumSq);
            for (int n = 0; n < rows; n++)
            for (int j = 0; j < c; j++)
            {
                var p = x.Slice((n * c + j) * plane, plane);
                double s = 0;
                for (int i = 0; i < plane; i++) s += p[i];
                _mean[j] += s;
            }
            for (int j = 0; j < c; j++) _mean[j] /= count;
            for (int n = 0; n < rows; n++)
            for (int j = 0; j < c; j++)
            {
                var p = x.Slice((n * c + j) * plane, plane);
                double m = _mean[j], s = 0;
                for (int i = 0; i < plane; i++) { double d = p[i] - m; s += d * d; }
                _sumSq[j] += s;
            }
            for (int j = 0; j < c; j++)
            {
                double biased = _sumSq[j] / count;
                // One value per channel has no unbiased variance; PyTorch refuses it, we keep the biased one (0).
                double unbiased = count > 1 ? _sumSq[j] / (count - 1) : biased;
                _invStd[j] = (float)(1.0 / Math.Sqrt(biased + Epsilon));
                mean[j] = (float)((1 - Momentum) * mean[j] + Momentum * _mean[j]);
                variance[j] = (float)((1 - Momentum) * variance[j] + Momentum * unbiased);
                _centre[j] = (float)_mean[j];
            }
        }
        else
        {
            for (int j = 0; j < c; j++) _invStd[j] = 1f / MathF.Sqrt(variance[j] + Epsilon);
            mean.CopyTo(_centre);
        }
        Normalize(x, rows);
        _rows = rows;
        _lastWasTraining = training;
        return _output;
    }

    // x̂ = (x − centre_c)·invStd_c, y = γ_c·x̂ + β_c, with the batch or the running statistics in _centre and _invStd.
    private void Normalize(ReadOnlySpan<float> x, int rows)
    {
        int c = _channels, plane = _plane;
        var y = _output.Span;
        var xhat = _normalized.Span;
        var gamma = Gamma.Value.Span;
        var beta = Beta.Value.Span;
        for (int j = 0; j < c; j++)
        {
            float m = _centre[j], s = _invStd[j], g = gamma[j], b = beta[j];
            for (int n = 0; n < rows; n++)
            {
                int o = (n * c + j) * plane;
                for (int i = 0; i < plane; i++)
                {
                    float h = (x[o + i] - m) * s;
                    xhat[o + i] = h;
                    y[o + i] = g * h + b;
                }
            }
        }
    }

    /// <inheritdoc />
    // dy: [batch, C, plane] → dx: [batch, C, plane]; dγ = Σ dy·x̂, dβ = Σ dy over batch × plane: [C]
    public Tensor Backward(Tensor outputGradient)
    {
        LayerChecks.Forwarded(Spec, _rows);
        int rows = _rows, c = _channels, plane = _plane;
        LayerChecks.Gradient(Spec, outputGradient, rows, c * plane);
        LayerChecks.EnsureRows(_inputGradient, _output, rows);
        var dy = outputGradient.Span;
        var xhat = _normalized.Span;
        var dx = _inputGradient.Span;
        var gamma = Gamma.Value.Span;
        var dGamma = Gamma.Gradient.Span;
        var dBeta = Beta.Gradient.Span;
        Array.Clear(_mean);
        Array.Clear(_sumSq);
        for (int n = 0; n < rows; n++)
        for (int j = 0; j < c; j++)
        {
            int o = (n * c + j) * plane;
            double sg = 0, sb = 0;
            for (int i = 0; i < plane; i++) { sg += dy[o + i] * xhat[o + i]; sb += dy[o + i]; }
            _sumSq[j] += sg;
            _mean[j] += sb;
        }
        for (int j = 0; j < c; j++) { dGamma[j] = (float)_sumSq[j]; dBeta[j] = (float)_mean[j]; }
        // Training: dx = γ/(M·σ)·(M·dy − Σdy − x̂·Σ(dy·x̂)), M = batch·plane, the batch statistics depending on x.
        // Inference: the running statistics are constants, dx = dy·γ/√(σ²_run + ε).
        float invM = _lastWasTraining ? 1f / ((long)rows * plane) : 0f;
        for (int n = 0; n < rows; n++)
        for (int j = 0; j < c; j++)
        {
            int o = (n * c + j) * plane;
            float k = gamma[j] * _invStd[j], mb = invM * dBeta[j], mg = invM * dGamma[j];
            for (int i = 0; i < plane; i++) dx[o + i] = k * (dy[o + i] - mb - xhat[o + i] * mg);
        }
        return _inputGradient;
    }
}

/// <summary>
/// Batch normalisation over the features of [batch, features], PyTorch's BatchNorm1d: every value of the sample
/// is its own channel (see <see cref="BatchNormLayer"/> for the statistics and settings).
/// </summary>
public sealed class BatchNorm1dLayer : BatchNormLayer
{
    private BatchNorm1dLayer(LayerSpec spec, int features, float epsilon, float momentum) : base(spec, features, 1, epsilon, momentum) { }

    /// <summary>Builds a BatchNorm1d layer from its spec (see <see cref="LayerFactory.Build"/>). γ = 1, β = 0, running mean 0, variance 1.</summary>
    /// <exception cref="ArgumentException">epsilon ≤ 0 or momentum outside [0, 1]; the message names the layer and the setting.</exception>
    public static BatchNorm1dLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        int features = LayerChecks.Size(inputShape);
        var (eps, momentum) = Complete(spec, inputShape, features);
        return new BatchNorm1dLayer(spec, features, eps, momentum);
    }
}

using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Batch normalisation per channel of NCHW samples, PyTorch's BatchNorm2d: training normalises each channel with
/// the mean and biased variance over batch × height × width and updates the running statistics as
/// r ← (1 − momentum)·r + momentum·batchStat (the running variance takes the unbiased variance, over N·H·W − 1);
/// inference uses the running statistics. The same names and conventions as <see cref="BatchNorm1dLayer"/>:
/// trainable gamma, beta [C]; non-trainable runningMean, runningVar [C]. Settings: epsilon (1e-5), momentum (0.1).
/// </summary>
public sealed class BatchNorm2dLayer : ILayer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly Tensor _normalized;
    private readonly float[] _invStd;
    private readonly double[] _mean;
    private readonly double[] _sumSq;
    private readonly int _channels, _plane;
    private bool _lastWasTraining;

    private BatchNorm2dLayer(LayerSpec spec, int channels, int plane, float epsilon, float momentum)
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
        _mean = new double[channels];
        _sumSq = new double[channels];
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Scale γ [C].</summary>
    public Parameter Gamma { get; }

    /// <summary>Shift β [C].</summary>
    public Parameter Beta { get; }

    /// <summary>Running mean [C] (not trainable).</summary>
    public Parameter RunningMean { get; }

    /// <summary>Running variance [C] (not trainable).</summary>
    public Parameter RunningVar { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>Builds a BatchNorm2d layer from its spec (see <see cref="LayerFactory.Build"/>). γ = 1, β = 0, running mean 0, variance 1.</summary>
    /// <exception cref="ArgumentException">epsilon ≤ 0, momentum outside [0, 1], or an input that is not [C, H, W].</exception>
    public static BatchNorm2dLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        var (c, h, w) = ConvSettings.Input(spec, inputShape);
        if (!spec.Has("epsilon")) spec.With("epsilon", 1e-5f);
        if (!spec.Has("momentum")) spec.With("momentum", 0.1f);
        float eps = spec.GetFloat("epsilon"), momentum = spec.GetFloat("momentum");
        if (!(eps > 0))
            throw new ArgumentException($"Layer '{spec.Name}' (BatchNorm2d): setting 'epsilon' must be > 0; got {eps}.");
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentException($"Layer '{spec.Name}' (BatchNorm2d): setting 'momentum' must be in [0, 1]; got {momentum}.");
        spec.InputShape = inputShape;
        spec.OutputShape = (int[])inputShape.Clone();
        spec.Parameters.Clear();
        spec.Parameters.Add(new ParameterSpec("gamma", [c]));
        spec.Parameters.Add(new ParameterSpec("beta", [c]));
        spec.Parameters.Add(new ParameterSpec("runningMean", [c]));
        spec.Parameters.Add(new ParameterSpec("runningVar", [c]));
        return new BatchNorm2dLayer(spec, c, h * w, eps, momentum);
    }

    /// <inheritdoc />
    // x: [batch, C, H, W] → y = γ·(x − μ_c)/√(σ²_c + ε) + β: [batch, C, H, W]; γ, β, running stats: [C]
    public Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.Input(Spec, input, _channels * _plane);
        int rows = input.Rows, c = _channels, plane = _plane;
        _output.ResizeRows(rows);
        _normalized.ResizeRows(rows);
        var x = input.Span;
        var y = _output.Span;
        var xhat = _normalized.Span;
        var gamma = Gamma.Value.Span;
        var beta = Beta.Value.Span;
        var mean = RunningMean.Value.Span;
        var variance = RunningVar.Value.Span;
        _lastWasTraining = training;
        if (training)
        {
            if (rows == 0) throw new ArgumentException($"Layer '{Spec.Name}' (BatchNorm2d) got an empty batch.");
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
            }
            for (int n = 0; n < rows; n++)
            for (int j = 0; j < c; j++)
            {
                int o = (n * c + j) * plane;
                float m = (float)_mean[j], s = _invStd[j], g = gamma[j], b = beta[j];
                for (int i = 0; i < plane; i++)
                {
                    float h = (x[o + i] - m) * s;
                    xhat[o + i] = h;
                    y[o + i] = g * h + b;
                }
            }
        }
        else
        {
            for (int j = 0; j < c; j++) _invStd[j] = 1f / MathF.Sqrt(variance[j] + Epsilon);
            for (int n = 0; n < rows; n++)
            for (int j = 0; j < c; j++)
            {
                int o = (n * c + j) * plane;
                float m = mean[j], s = _invStd[j], g = gamma[j], b = beta[j];
                for (int i = 0; i < plane; i++)
                {
                    float h = (x[o + i] - m) * s;
                    xhat[o + i] = h;
                    y[o + i] = g * h + b;
                }
            }
        }
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, C, H, W] → dx: [batch, C, H, W]; dγ = Σ dy·x̂, dβ = Σ dy over batch × H × W: [C]
    public Tensor Backward(Tensor outputGradient)
    {
        int rows = _output.Rows, c = _channels, plane = _plane;
        LayerChecks.Gradient(Spec, outputGradient, rows, c * plane);
        _inputGradient.ResizeRows(rows);
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
        if (!_lastWasTraining)
        {
            // Running statistics are constants: dx = dy·γ/√(σ²_run + ε).
            for (int n = 0; n < rows; n++)
            for (int j = 0; j < c; j++)
            {
                int o = (n * c + j) * plane;
                float k = gamma[j] * _invStd[j];
                for (int i = 0; i < plane; i++) dx[o + i] = dy[o + i] * k;
            }
            return _inputGradient;
        }
        // dx = γ/(M·σ)·(M·dy − Σdy − x̂·Σ(dy·x̂)), M = batch·H·W, with the batch statistics depending on x.
        float invM = 1f / ((long)rows * plane);
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

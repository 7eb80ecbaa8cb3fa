using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Batch normalisation over the features of [batch, features], PyTorch's BatchNorm1d: training
/// normalises with the batch mean and biased variance and updates the running statistics as
/// r ← (1 − momentum)·r + momentum·batchStat (the running variance takes the unbiased batch variance);
/// inference uses the running statistics. Trainable gamma, beta; non-trainable runningMean, runningVar.
/// Settings: epsilon (1e-5), momentum (0.1).
/// </summary>
public sealed class BatchNorm1dLayer : ILayer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly Tensor _normalized;
    private readonly float[] _invStd;
    private readonly double[] _sum;
    private readonly double[] _sumSq;
    private readonly int _features;
    private bool _lastWasTraining;

    private BatchNorm1dLayer(LayerSpec spec, int features, float epsilon, float momentum)
    {
        Spec = spec;
        _features = features;
        Epsilon = epsilon;
        Momentum = momentum;
        Gamma = new Parameter("gamma", new Tensor(features), isWeight: false);
        Beta = new Parameter("beta", new Tensor(features), isWeight: false);
        RunningMean = new Parameter("runningMean", new Tensor(features), isWeight: false, trainable: false);
        RunningVar = new Parameter("runningVar", new Tensor(features), isWeight: false, trainable: false);
        Gamma.Value.Span.Fill(1f);
        RunningVar.Value.Span.Fill(1f);
        _parameters = [Gamma, Beta, RunningMean, RunningVar];
        _output = LayerChecks.Buffer(spec.InputShape);
        _inputGradient = LayerChecks.Buffer(spec.InputShape);
        _normalized = LayerChecks.Buffer(spec.InputShape);
        _invStd = new float[features];
        _sum = new double[features];
        _sumSq = new double[features];
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Scale γ [features].</summary>
    public Parameter Gamma { get; }

    /// <summary>Shift β [features].</summary>
    public Parameter Beta { get; }

    /// <summary>Running mean [features] (not trainable).</summary>
    public Parameter RunningMean { get; }

    /// <summary>Running variance [features] (not trainable).</summary>
    public Parameter RunningVar { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public float Momentum { get; }

    /// <summary>Builds a BatchNorm1d layer from its spec (see <see cref="LayerFactory.Build"/>). γ = 1, β = 0, running mean 0, variance 1.</summary>
    public static BatchNorm1dLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        if (!spec.Has("epsilon")) spec.With("epsilon", 1e-5f);
        if (!spec.Has("momentum")) spec.With("momentum", 0.1f);
        float eps = spec.GetFloat("epsilon"), momentum = spec.GetFloat("momentum");
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1))
            throw new ArgumentException($"Layer '{spec.Name}' (BatchNorm1d) needs epsilon > 0 and 0 ≤ momentum ≤ 1; got {eps}, {momentum}.");
        int features = LayerChecks.Size(inputShape);
        spec.InputShape = inputShape;
        spec.OutputShape = (int[])inputShape.Clone();
        spec.Parameters.Clear();
        spec.Parameters.Add(new ParameterSpec("gamma", [features]));
        spec.Parameters.Add(new ParameterSpec("beta", [features]));
        spec.Parameters.Add(new ParameterSpec("runningMean", [features]));
        spec.Parameters.Add(new ParameterSpec("runningVar", [features]));
        return new BatchNorm1dLayer(spec, features, eps, momentum);
    }

    /// <inheritdoc />
    // x: [batch, F] → y = γ·(x − μ)/√(σ² + ε) + β: [batch, F]; γ, β, running stats: [F]
    public Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.Input(Spec, input, _features);
        int rows = input.Rows, f = _features;
        LayerChecks.EnsureRows(_output, input, rows);
        LayerChecks.EnsureRows(_normalized, input, rows);
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
            if (rows == 0) throw new ArgumentException($"Layer '{Spec.Name}' (BatchNorm1d) got an empty batch.");
            Array.Clear(_sum);
            Array.Clear(_sumSq);
            for (int r = 0; r < rows; r++)
            {
                var row = x.Slice(r * f, f);
                for (int j = 0; j < f; j++) { double v = row[j]; _sum[j] += v; }
            }
            for (int j = 0; j < f; j++) _sum[j] /= rows;
            for (int r = 0; r < rows; r++)
            {
                var row = x.Slice(r * f, f);
                for (int j = 0; j < f; j++) { double d = row[j] - _sum[j]; _sumSq[j] += d * d; }
            }
            for (int j = 0; j < f; j++)
            {
                double biased = _sumSq[j] / rows;
                // A batch of one has no unbiased variance; PyTorch refuses it, we keep the biased one (0).
                double unbiased = rows > 1 ? _sumSq[j] / (rows - 1) : biased;
                _invStd[j] = (float)(1.0 / Math.Sqrt(biased + Epsilon));
                mean[j] = (float)((1 - Momentum) * mean[j] + Momentum * _sum[j]);
                variance[j] = (float)((1 - Momentum) * variance[j] + Momentum * unbiased);
                _sumSq[j] = _sum[j]; // keep the batch mean for the normalisation below
            }
            for (int r = 0; r < rows; r++)
            {
                int o = r * f;
                for (int j = 0; j < f; j++)
                {
                    float h = (float)(x[o + j] - _sumSq[j]) * _invStd[j];
                    xhat[o + j] = h;
                    y[o + j] = gamma[j] * h + beta[j];
                }
            }
        }
        else
        {
            for (int j = 0; j < f; j++) _invStd[j] = 1f / MathF.Sqrt(variance[j] + Epsilon);
            for (int r = 0; r < rows; r++)
            {
                int o = r * f;
                for (int j = 0; j < f; j++)
                {
                    float h = (x[o + j] - mean[j]) * _invStd[j];
                    xhat[o + j] = h;
                    y[o + j] = gamma[j] * h + beta[j];
                }
            }
        }
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, F] → dx: [batch, F]; dγ = Σ dy·x̂, dβ = Σ dy: [F]
    public Tensor Backward(Tensor outputGradient)
    {
        int rows = _output.Rows, f = _features;
        LayerChecks.Gradient(Spec, outputGradient, rows, f);
        LayerChecks.EnsureRows(_inputGradient, _output, rows);
        var dy = outputGradient.Span;
        var xhat = _normalized.Span;
        var dx = _inputGradient.Span;
        var gamma = Gamma.Value.Span;
        var dGamma = Gamma.Gradient.Span;
        var dBeta = Beta.Gradient.Span;
        dGamma.Clear();
        dBeta.Clear();
        for (int r = 0; r < rows; r++)
        {
            int o = r * f;
            for (int j = 0; j < f; j++) { dGamma[j] += dy[o + j] * xhat[o + j]; dBeta[j] += dy[o + j]; }
        }
        if (!_lastWasTraining)
        {
            // Running statistics are constants: dx = dy·γ/√(σ²_run + ε).
            for (int r = 0; r < rows; r++)
            {
                int o = r * f;
                for (int j = 0; j < f; j++) dx[o + j] = dy[o + j] * gamma[j] * _invStd[j];
            }
            return _inputGradient;
        }
        // dx = γ/(N·σ)·(N·dy − Σdy − x̂·Σ(dy·x̂)), with the batch statistics depending on x.
        float invN = 1f / rows;
        for (int r = 0; r < rows; r++)
        {
            int o = r * f;
            for (int j = 0; j < f; j++)
                dx[o + j] = gamma[j] * _invStd[j] * (dy[o + j] - invN * dBeta[j] - xhat[o + j] * invN * dGamma[j]);
        }
        return _inputGradient;
    }
}

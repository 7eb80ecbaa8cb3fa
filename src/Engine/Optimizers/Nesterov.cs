using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>
/// Nesterov momentum, PyTorch's form: v ← μ·v + g (v = g on the first step), w ← w − η·(g + μ·v).
/// </summary>
/// <param name="mu">Momentum coefficient μ (default 0.9).</param>
/// <param name="weightDecay">Coupled L2 coefficient on weights (0 = none).</param>
public sealed class Nesterov(float mu = 0.9f, float weightDecay = 0f) : IOptimizer
{
    private readonly OptimizerSlots _slots = new(1);

    /// <inheritdoc />
    public void WriteState(BinaryWriter w, IReadOnlyList<Parameter> parameters) => _slots.Write(w, parameters);

    /// <inheritdoc />
    public void ReadState(BinaryReader r, IReadOnlyList<Parameter> parameters) => _slots.Read(r, parameters);

    /// <inheritdoc />
    public string Name => "Nesterov";

    /// <summary>μ.</summary>
    public float Mu { get; } = mu;

    /// <summary>Coupled L2 coefficient on weights.</summary>
    public float WeightDecay { get; } = weightDecay;

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter> parameters, float learningRate) =>
        Momentum.MomentumStep(_slots, parameters, learningRate, Mu, WeightDecay, nesterov: true);
}

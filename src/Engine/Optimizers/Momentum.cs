using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>
/// SGD with momentum, PyTorch's form: v ← μ·v + g (v = g on the first step), w ← w − η·v.
/// </summary>
/// <param name="mu">Momentum coefficient μ (default 0.9).</param>
/// <param name="weightDecay">Coupled L2 coefficient on weights (0 = none).</param>
public sealed class Momentum(float mu = 0.9f, float weightDecay = 0f) : IOptimizer
{
    private readonly OptimizerSlots _slots = new(1);

    /// <inheritdoc />
    public void WriteState(BinaryWriter w, IReadOnlyList<Parameter> parameters) => _slots.Write(w, parameters);

    /// <inheritdoc />
    public void ReadState(BinaryReader r, IReadOnlyList<Parameter> parameters) => _slots.Read(r, parameters);

    /// <inheritdoc />
    public string Name => "Momentum";

    /// <summary>μ.</summary>
    public float Mu { get; } = mu;

    /// <summary>Coupled L2 coefficient on weights.</summary>
    public float WeightDecay { get; } = weightDecay;

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter> parameters, float learningRate) =>
        MomentumStep(_slots, parameters, learningRate, Mu, WeightDecay, nesterov: false);

    internal static void MomentumStep(OptimizerSlots slots, IReadOnlyList<Parameter> parameters, float lr, float mu, float weightDecay, bool nesterov)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (!p.Trainable) continue;
            var slot = slots.For(p);
            OptimizerKernels.Momentum(p.Value.Span, p.Gradient.Span, slot.A, lr, mu, p.IsWeight ? weightDecay : 0f, slot.Step == 0, nesterov);
            slot.Step++;
        }
    }
}

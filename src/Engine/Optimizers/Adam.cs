using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>
/// Adam, PyTorch's form: m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², w ← w − η·m̂/(√v̂ + ε) with
/// bias-corrected m̂ = m/(1 − β1ᵗ), v̂ = v/(1 − β2ᵗ) and t counted per parameter.
/// </summary>
/// <param name="beta1">β1 (default 0.9).</param>
/// <param name="beta2">β2 (default 0.999).</param>
/// <param name="epsilon">ε (default 1e-8).</param>
public sealed class Adam(float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f) : IOptimizer
{
    private readonly OptimizerSlots _slots = new(2);

    /// <inheritdoc />
    public void WriteState(BinaryWriter w, IReadOnlyList<Parameter> parameters) => _slots.Write(w, parameters);

    /// <inheritdoc />
    public void ReadState(BinaryReader r, IReadOnlyList<Parameter> parameters) => _slots.Read(r, parameters);

    /// <inheritdoc />
    public string Name => "Adam";

    /// <summary>β1.</summary>
    public float Beta1 { get; } = beta1;

    /// <summary>β2.</summary>
    public float Beta2 { get; } = beta2;

    /// <summary>ε.</summary>
    public float Epsilon { get; } = epsilon;

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter> parameters, float learningRate) =>
        AdamStep(_slots, parameters, learningRate, Beta1, Beta2, Epsilon, weightDecay: 0f);

    internal static void AdamStep(OptimizerSlots slots, IReadOnlyList<Parameter> parameters, float lr,
        float beta1, float beta2, float eps, float weightDecay)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (!p.Trainable) continue;
            var slot = slots.For(p);
            slot.Step++;
            float decay = p.IsWeight ? 1f - lr * weightDecay : 1f;
            OptimizerKernels.Adam(p.Value.Span, p.Gradient.Span, slot.A, slot.B, lr, beta1, beta2, eps, slot.Step, decay);
        }
    }
}

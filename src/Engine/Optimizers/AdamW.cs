using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>
/// AdamW, PyTorch's form: decoupled decay w ← (1 − η·wd)·w on weights (<see cref="Parameter.IsWeight"/>)
/// only, then the <see cref="Adam"/> update. The decay is not part of the gradient, so it is not rescaled by √v̂.
/// </summary>
/// <param name="beta1">β1 (default 0.9).</param>
/// <param name="beta2">β2 (default 0.999).</param>
/// <param name="epsilon">ε (default 1e-8).</param>
/// <param name="weightDecay">Decoupled weight decay (default 0.01).</param>
public sealed class AdamW(float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f) : IOptimizer
{
    private readonly OptimizerSlots _slots = new(2);

    /// <inheritdoc />
    public void WriteState(BinaryWriter w, IReadOnlyList<Parameter> parameters) => _slots.Write(w, parameters);

    /// <inheritdoc />
    public void ReadState(BinaryReader r, IReadOnlyList<Parameter> parameters) => _slots.Read(r, parameters);

    /// <inheritdoc />
    public string Name => "AdamW";

    /// <summary>β1.</summary>
    public float Beta1 { get; } = beta1;

    /// <summary>β2.</summary>
    public float Beta2 { get; } = beta2;

    /// <summary>ε.</summary>
    public float Epsilon { get; } = epsilon;

    /// <summary>Decoupled weight decay.</summary>
    public float WeightDecay { get; } = weightDecay;

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter> parameters, float learningRate) =>
        Adam.AdamStep(_slots, parameters, learningRate, Beta1, Beta2, Epsilon, WeightDecay);
}

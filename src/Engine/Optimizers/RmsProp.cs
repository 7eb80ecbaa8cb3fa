using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>RMSprop, PyTorch's form: s ← ρ·s + (1 − ρ)·g², w ← w − η·g/(√s + ε).</summary>
/// <param name="rho">Smoothing ρ (PyTorch's alpha, default 0.99).</param>
/// <param name="epsilon">ε (default 1e-8).</param>
public sealed class RmsProp(float rho = 0.99f, float epsilon = 1e-8f) : IOptimizer
{
    private readonly OptimizerSlots _slots = new(1);

    /// <inheritdoc />
    public void WriteState(BinaryWriter w, IReadOnlyList<Parameter> parameters) => _slots.Write(w, parameters);

    /// <inheritdoc />
    public void ReadState(BinaryReader r, IReadOnlyList<Parameter> parameters) => _slots.Read(r, parameters);

    /// <inheritdoc />
    public string Name => "RmsProp";

    /// <summary>ρ.</summary>
    public float Rho { get; } = rho;

    /// <summary>ε.</summary>
    public float Epsilon { get; } = epsilon;

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter> parameters, float learningRate)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (!p.Trainable) continue;
            OptimizerKernels.ScaledBySquares(p.Value.Span, p.Gradient.Span, _slots.For(p).A, learningRate, Rho, 1f - Rho, Epsilon);
        }
    }
}

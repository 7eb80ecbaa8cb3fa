using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>Adagrad, PyTorch's form: s ← s + g², w ← w − η·g/(√s + ε).</summary>
/// <param name="epsilon">ε (default 1e-10, PyTorch's).</param>
public sealed class Adagrad(float epsilon = 1e-10f) : IOptimizer
{
    private readonly OptimizerSlots _slots = new(1);

    /// <inheritdoc />
    public void WriteState(BinaryWriter w, IReadOnlyList<Parameter> parameters) => _slots.Write(w, parameters);

    /// <inheritdoc />
    public void ReadState(BinaryReader r, IReadOnlyList<Parameter> parameters) => _slots.Read(r, parameters);

    /// <inheritdoc />
    public string Name => "Adagrad";

    /// <summary>ε.</summary>
    public float Epsilon { get; } = epsilon;

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter> parameters, float learningRate)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (!p.Trainable) continue;
            OptimizerKernels.ScaledBySquares(p.Value.Span, p.Gradient.Span, _slots.For(p).A, learningRate, 1f, 1f, Epsilon);
        }
    }
}

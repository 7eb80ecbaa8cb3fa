using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>
/// Plain stochastic gradient descent, w ← w − η·g. With <paramref name="weightDecay"/> λ′ it also applies
/// L2 to the weights in the same pass, w ← (1 − ηλ′)·w − η·g: network2's update when λ′ = λ/n.
/// An L2 term left pending by <see cref="L2Regularization.AddToGradients"/> is applied in the same pass as the update
/// (g ← w·c + g, then w ← decay·w − η·g, each rounded as the separate passes round it).
/// </summary>
/// <param name="weightDecay">Coupled L2 coefficient on <see cref="Parameter.IsWeight"/> parameters (0 = none).</param>
public sealed class Sgd(float weightDecay = 0f) : IOptimizer
{
    /// <inheritdoc />
    public string Name => "Sgd";

    /// <summary>Coupled L2 coefficient on weights.</summary>
    public float WeightDecay { get; } = weightDecay;

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter> parameters, float learningRate)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (!p.Trainable) continue;
            float decay = p.IsWeight ? 1f - learningRate * WeightDecay : 1f;
            float l2 = p.TakePendingL2(out var value, out var gradient);
            if (l2 != 0)
                OptimizerKernels.SgdWithL2(value.Span, gradient.Span, l2, learningRate, decay);
            else
                OptimizerKernels.Sgd(value.Span, gradient.Span, learningRate, decay);
        }
    }
}

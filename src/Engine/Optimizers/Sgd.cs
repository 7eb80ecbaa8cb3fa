using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>
/// Plain stochastic gradient descent, w ← w − η·g. With <paramref name="weightDecay"/> λ′ it also applies
/// L2 to the weights in the same pass, w ← (1 − ηλ′)·w − η·g: network2's update when λ′ = λ/n.
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
            OptimizerKernels.Sgd(p.Value.Span, p.Gradient.Span, learningRate, decay);
        }
    }
}

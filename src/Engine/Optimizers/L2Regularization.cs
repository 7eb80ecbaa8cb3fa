using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>
/// L2 regularisation on weights (never biases or normalisation parameters), as network2 does it.
/// The training loop passes coefficient = λ/n (n = training-set size), so a following SGD step gives
/// network2's w ← (1 − ηλ/n)·w − η·mean∇w.
/// </summary>
public static class L2Regularization
{
    /// <summary>
    /// g ← g + coefficient·w for every trainable <see cref="Parameter.IsWeight"/> parameter. The update is deferred:
    /// a following <see cref="Sgd"/> step applies it in its own pass over the weights, and any earlier read of the
    /// parameter's value or gradient applies it first, so callers see the same values (to the bit) as an eager update.
    /// </summary>
    public static void AddToGradients(IReadOnlyList<Parameter> parameters, float coefficient)
    {
        if (coefficient == 0) return;
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (!p.IsWeight || !p.Trainable) continue;
            p.DeferL2(coefficient);
        }
    }

    /// <summary>½·coefficient·Σw² over the weights: the term the cost reports (network2: 0.5·(λ/n)·Σ‖w‖²).</summary>
    public static double Penalty(IReadOnlyList<Parameter> parameters, float coefficient)
    {
        double sum = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (!p.IsWeight || !p.Trainable) continue;
            sum += TensorPrimitives.SumOfSquares(p.Value.Span);
        }
        return 0.5 * coefficient * sum;
    }
}

using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>Gradient clipping over the trainable parameters, with PyTorch's semantics.</summary>
public static class GradientClipping
{
    /// <summary>
    /// clip_grad_norm_: the global norm N = √Σ‖g‖² over all trainable gradients; when N &gt; maxNorm every
    /// gradient is scaled by maxNorm/(N + 1e-6). Returns N before clipping (non-finite when a gradient is).
    /// </summary>
    public static double ByGlobalNorm(IReadOnlyList<Parameter> parameters, float maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The clipping norm must be > 0.");
        double sumSq = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (p.Trainable) sumSq += TensorPrimitives.SumOfSquares(p.Gradient.Span);
        }
        double norm = Math.Sqrt(sumSq);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1)
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                var p = parameters[i];
                if (p.Trainable) TensorPrimitives.Multiply(p.Gradient.Span, (float)coef, p.Gradient.Span);
            }
        }
        return norm;
    }

    /// <summary>clip_grad_value_: every trainable gradient element clamped to [−clipValue, clipValue].</summary>
    public static void ByValue(IReadOnlyList<Parameter> parameters, float clipValue)
    {
        if (!(clipValue > 0)) throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "The clipping value must be > 0.");
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (!p.Trainable) continue;
            var g = p.Gradient.Span;
            TensorPrimitives.Min(g, clipValue, g);
            TensorPrimitives.Max(g, -clipValue, g);
        }
    }
}

using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using DlBook.Engine.Activations;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Losses;

/// <summary>
/// Softmax output with the log-likelihood cost: C = −Σ y ln softmax(z), averaged over the batch,
/// δ = (softmax(z) − y)/batch. Computed through log-sum-exp, so large logits do not overflow.
/// Targets are rows of probabilities (one-hot for classification).
/// </summary>
public sealed class SoftmaxCrossEntropyLoss : ILoss
{
    /// <inheritdoc />
    public string Name => "SoftmaxCrossEntropy";

    /// <inheritdoc />
    public Activation OutputActivation => Activation.Softmax;

    /// <inheritdoc />
    // z, y, δ: [batch, classes]
    public float Compute(Tensor logits, Tensor targets, Tensor gradient)
    {
        LossChecks.Prepare(Name, logits, targets, gradient);
        int batch = logits.Rows, classes = LossChecks.Outputs(logits);
        var z = logits.Span;
        var y = targets.Span;
        var g = gradient.Span;
        double cost = 0;
        for (int r = 0; r < batch; r++)
        {
            var zr = z.Slice(r * classes, classes);
            var yr = y.Slice(r * classes, classes);
            var gr = g.Slice(r * classes, classes);
            float max = TensorPrimitives.Max(zr);
            TensorPrimitives.Subtract(zr, max, gr);
            float lse = MathF.Log(ActivationFunctions.SumExp(gr));
            // −Σ y (z − max − lse) = (max + lse)·Σy − Σ y·z
            cost += (max + lse) * (double)TensorPrimitives.Sum(yr) - TensorPrimitives.Dot(yr, zr);
            TensorPrimitives.Subtract(gr, lse, gr);
            TensorPrimitives.Exp(gr, gr);
            TensorPrimitives.Subtract(gr, yr, gr);
        }
        TensorPrimitives.Multiply(g, 1f / batch, g);
        return (float)(cost / batch);
    }
}

using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using DlBook.Engine.Activations;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Losses;

/// <summary>
/// Softmax cross-entropy at every time step, against one integer class per step (next-token language modelling):
/// logits z [batch, T, V], targets [batch, T] holding class ids 0 … V−1 (whole numbers stored as floats).
/// C = −(1/(batch·T)) Σ_b Σ_t ln softmax(z_{b,t})[y_{b,t}], the mean over every predicted token, in nats;
/// δ = (softmax(z_{b,t}) − onehot(y_{b,t}))/(batch·T), the fused softmax + cross-entropy gradient. Computed through
/// log-sum-exp per step, so large logits do not overflow. The softmax of <see cref="OutputActivation"/> is over the
/// V classes of each step.
/// </summary>
public sealed class SequenceSoftmaxCrossEntropyLoss : ILoss
{
    /// <inheritdoc />
    public string Name => "SequenceSoftmaxCrossEntropy";

    /// <inheritdoc />
    public Activation OutputActivation => Activation.Softmax;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The shapes do not fit, or a target is not a class id 0 … V−1.</exception>
    // z, δ: [batch, T, V]; y: [batch, T]
    public float Compute(Tensor logits, Tensor targets, Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(gradient);
        if (logits.Rank != 3)
            throw new ArgumentException($"{Name}: logits must be [batch, T, classes]; got {logits.ShapeString}.", nameof(logits));
        int batch = logits.Dim(0), steps = logits.Dim(1), classes = logits.Dim(2);
        if (targets.Rows != batch || targets.Length != batch * steps)
            throw new ArgumentException(
                $"{Name}: targets {targets.ShapeString} do not match the logits {logits.ShapeString}; they need one class id per step, [{batch}, {steps}].",
                nameof(targets));
        if (gradient.Rank != 3 || gradient.Dim(0) != batch || gradient.Dim(1) != steps || gradient.Dim(2) != classes)
            gradient.Resize(batch, steps, classes);
        var z = logits.Span;
        var y = targets.Span;
        var g = gradient.Span;
        int tokens = batch * steps;
        double cost = 0;
        for (int i = 0; i < tokens; i++)
        {
            float id = y[i];
            int k = (int)id;
            if (k != id || k < 0 || k >= classes)
                throw new ArgumentException(
                    $"{Name}: the target of row {i / Math.Max(1, steps)}, step {i % Math.Max(1, steps)} is {id}; targets must be class ids 0 … {classes - 1}.",
                    nameof(targets));
            var zr = z.Slice(i * classes, classes);
            var gr = g.Slice(i * classes, classes);
            float max = TensorPrimitives.Max(zr);
            TensorPrimitives.Subtract(zr, max, gr);
            float lse = MathF.Log(ActivationFunctions.SumExp(gr));
            // −ln softmax(z)[k] = max + lse − z_k
            cost += max + lse - zr[k];
            TensorPrimitives.Subtract(gr, lse, gr);
            TensorPrimitives.Exp(gr, gr);
            gr[k] -= 1f;
        }
        if (tokens == 0) return 0f;
        TensorPrimitives.Multiply(g, 1f / tokens, g);
        return (float)(cost / tokens);
    }
}

using DlBook.Engine.Activations;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Losses;

/// <summary>
/// A cost fused with the network's output activation. The network's last layer produces the
/// pre-activation z ("logits"); the loss applies <see cref="OutputActivation"/> itself, so
/// sigmoid + cross-entropy gives δ = a − y and softmax + cross-entropy is numerically stable.
/// </summary>
public interface ILoss
{
    /// <summary>Name as used in options and the model package ("CrossEntropy", "Quadratic", "SoftmaxCrossEntropy", …).</summary>
    string Name { get; }

    /// <summary>The activation applied to z to get the network's output (and exported as the final ONNX node).</summary>
    Activation OutputActivation { get; }

    /// <summary>
    /// Mean cost over the batch. z: [batch, outputs], targets: [batch, outputs] (one-hot for
    /// classification). Writes ∂C/∂z (mean over the batch) into <paramref name="gradient"/>, shaped like z.
    /// </summary>
    float Compute(Tensor logits, Tensor targets, Tensor gradient);
}

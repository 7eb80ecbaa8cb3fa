using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using DlBook.Engine.Activations;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Losses;

/// <summary>
/// network2's QuadraticCost: C = ½‖a − y‖² summed over outputs and averaged over the batch, with
/// δ = (a − y)·f′(z)/batch. With sigmoid outputs (the book's) f′(z) = a(1 − a), which is why the quadratic
/// cost learns slowly when a neuron saturates; with identity outputs it is the regression cost (MSE/2).
/// </summary>
public sealed class QuadraticLoss : ILoss
{
    private float[] _derivative = [];

    /// <summary>Creates the cost for sigmoid (default) or identity outputs.</summary>
    /// <exception cref="ArgumentException">Any other output activation.</exception>
    public QuadraticLoss(Activation outputActivation = Activation.Sigmoid)
    {
        if (outputActivation is not (Activation.Sigmoid or Activation.Identity))
            throw new ArgumentException($"The quadratic cost supports Sigmoid or Identity outputs, not {outputActivation}.", nameof(outputActivation));
        OutputActivation = outputActivation;
    }

    /// <inheritdoc />
    public string Name => OutputActivation == Activation.Sigmoid ? "Quadratic" : "QuadraticIdentity";

    /// <inheritdoc />
    public Activation OutputActivation { get; }

    /// <inheritdoc />
    // z, y, δ: [batch, outputs]
    public float Compute(Tensor logits, Tensor targets, Tensor gradient)
    {
        LossChecks.Prepare(Name, logits, targets, gradient);
        var y = targets.Span;
        var g = gradient.Span;
        int batch = logits.Rows;
        ActivationFunctions.Forward(OutputActivation, logits.Span, g);
        if (OutputActivation == Activation.Sigmoid)
        {
            if (_derivative.Length < g.Length) _derivative = new float[g.Length];
            var d = _derivative.AsSpan(0, g.Length);
            ActivationFunctions.SigmoidDerivativeFromOutput(g, d);
            TensorPrimitives.Subtract(g, y, g);
            float cost = 0.5f * TensorPrimitives.SumOfSquares(g) / batch;
            TensorPrimitives.Multiply(g, d, g);
            TensorPrimitives.Multiply(g, 1f / batch, g);
            return cost;
        }
        TensorPrimitives.Subtract(g, y, g);
        float c = 0.5f * TensorPrimitives.SumOfSquares(g) / batch;
        TensorPrimitives.Multiply(g, 1f / batch, g);
        return c;
    }
}

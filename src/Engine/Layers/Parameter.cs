using DlBook.Engine.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace DlBook.Engine.Layers;

/// <summary>A learnable tensor, its gradient and how regularisation treats it.</summary>
/// <remarks>
/// L2 regularisation (<see cref="Optimizers.L2Regularization.AddToGradients"/>) is applied lazily: it is recorded
/// here and carried out by the next plain SGD step in the same pass as the update (saving a pass over the weights
/// and gradients), or by the first read of <see cref="Value"/> or <see cref="Gradient"/> before that, whichever
/// comes first. Either way the arithmetic and its order are those of applying it at once, so no bit differs.
/// </remarks>
public sealed class Parameter
{
    private readonly Tensor _value;
    private readonly Tensor _gradient;
    private float _pendingL2;

    /// <summary>Creates a parameter with a zero gradient of the same shape.</summary>
    public Parameter(string name, Tensor value, bool isWeight, bool trainable = true)
    {
        Name = name;
        _value = value;
        _gradient = new Tensor(value.ShapeArray);
        IsWeight = isWeight;
        Trainable = trainable;
    }

    /// <summary>Name within the layer ("W", "b", "gamma", …).</summary>
    public string Name { get; }

    /// <summary>The values.</summary>
    public Tensor Value
    {
        get
        {
            if (_pendingL2 != 0) ApplyPendingL2();
            return _value;
        }
    }

    /// <summary>∂C/∂value for the last batch (mean over the batch), written by the layer's Backward.</summary>
    public Tensor Gradient
    {
        get
        {
            if (_pendingL2 != 0) ApplyPendingL2();
            return _gradient;
        }
    }

    /// <summary>True for weights (L2 and weight decay apply), false for biases and normalisation shifts/scales.</summary>
    public bool IsWeight { get; }

    /// <summary>False for state such as batch-norm running statistics: saved, never stepped.</summary>
    public bool Trainable { get; }

    /// <summary>Records g ← g + coefficient·w, to be applied by the next SGD step or the next read (an earlier record is applied first).</summary>
    internal void DeferL2(float coefficient)
    {
        if (_pendingL2 != 0) ApplyPendingL2();
        _pendingL2 = coefficient;
    }

    /// <summary>Hands a pending L2 coefficient (0 when none) to an optimiser that applies it itself, with the raw tensors.</summary>
    internal float TakePendingL2(out Tensor value, out Tensor gradient)
    {
        float coefficient = _pendingL2;
        _pendingL2 = 0;
        value = _value;
        gradient = _gradient;
        return coefficient;
    }

    // g ← w·c + g, exactly as the eager L2 pass computes it.
    private void ApplyPendingL2()
    {
        float coefficient = _pendingL2;
        _pendingL2 = 0;
        TensorPrimitives.MultiplyAdd(_value.Span, coefficient, _gradient.Span, _gradient.Span);
    }
}

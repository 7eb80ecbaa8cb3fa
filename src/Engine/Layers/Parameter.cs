using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>A learnable tensor, its gradient and how regularisation treats it.</summary>
public sealed class Parameter
{
    /// <summary>Creates a parameter with a zero gradient of the same shape.</summary>
    public Parameter(string name, Tensor value, bool isWeight, bool trainable = true)
    {
        Name = name;
        Value = value;
        Gradient = new Tensor(value.ShapeArray);
        IsWeight = isWeight;
        Trainable = trainable;
    }

    /// <summary>Name within the layer ("W", "b", "gamma", …).</summary>
    public string Name { get; }

    /// <summary>The values.</summary>
    public Tensor Value { get; }

    /// <summary>∂C/∂value for the last batch (mean over the batch), written by the layer's Backward.</summary>
    public Tensor Gradient { get; }

    /// <summary>True for weights (L2 and weight decay apply), false for biases and normalisation shifts/scales.</summary>
    public bool IsWeight { get; }

    /// <summary>False for state such as batch-norm running statistics: saved, never stepped.</summary>
    public bool Trainable { get; }
}

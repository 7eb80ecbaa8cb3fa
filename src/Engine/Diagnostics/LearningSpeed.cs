using DlBook.Engine.Layers;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Diagnostics;

/// <summary>
/// Chapter 34's "learning speed": one forward and backward pass over a fixed set (e.g. the first 1,000
/// training images) in inference mode. The losses average over the batch, so each ∂C/∂b is the mean δˡ
/// over the set and its norm is exactly the book's ‖mean δˡ‖ (not a mean of norms).
/// </summary>
public static class LearningSpeed
{
    /// <summary>
    /// Per Dense layer, in order: ‖∂C/∂b‖ and ‖∂C/∂W‖ of the cost over <paramref name="x"/> [n, ..InputShape]
    /// with <paramref name="targets"/> [n, outputs]. Overwrites the parameters' gradients; leaves the values alone.
    /// </summary>
    public static IReadOnlyList<LayerGradientNorm> Measure(Sequential net, ILoss loss, Tensor x, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(loss);
        var logits = net.Forward(x, training: false);
        var gradient = new Tensor(logits.ShapeArray);
        loss.Compute(logits, targets, gradient);
        net.Backward(gradient);
        var dense = new List<(int Index, DenseLayer Layer)>();
        for (int i = 0; i < net.Layers.Count; i++)
            if (net.Layers[i] is DenseLayer d) dense.Add((i, d));
        var result = new List<LayerGradientNorm>(dense.Count);
        for (int k = 0; k < dense.Count; k++)
        {
            var (index, layer) = dense[k];
            result.Add(new LayerGradientNorm(layer.Spec.Name, index, IsHidden: k < dense.Count - 1,
                Norm(layer.Bias.Gradient.Span), Norm(layer.Weights.Gradient.Span)));
        }
        return result;
    }

    /// <summary>Euclidean norm accumulated in double (the set's gradients can be tiny).</summary>
    public static double Norm(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (float v in values) s += (double)v * v;
        return Math.Sqrt(s);
    }
}

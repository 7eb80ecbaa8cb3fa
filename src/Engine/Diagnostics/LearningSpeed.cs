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
    public static List<LayerLearningSpeed> Measure(Sequential net, ILoss loss, Tensor x, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(loss);
        var logits = net.Forward(x, training: false);
        var gradient = new Tensor(logits.ShapeArray);
        loss.Compute(logits, targets, gradient);
        net.Backward(gradient);
        var dense = net.Layers.OfType<DenseLayer>().ToList();
        var result = new List<LayerLearningSpeed>(dense.Count);
        for (int k = 0; k < dense.Count; k++)
        {
            var layer = dense[k];
            result.Add(new LayerLearningSpeed(layer.Spec.Name, k, IsHidden: k < dense.Count - 1,
                Norm(layer.Bias.Gradient.Span), Norm(layer.Weights.Gradient.Span)));
        }
        return result;
    }

    /// <summary>The book's figure: ‖∂C/∂b‖ of each hidden layer, first to last.</summary>
    public static double[] HiddenBiasNorms(IEnumerable<LayerLearningSpeed> speeds) =>
        speeds.Where(s => s.IsHidden).Select(s => s.BiasGradientNorm).ToArray();

    /// <summary>Euclidean norm accumulated in double (the set's gradients can be tiny).</summary>
    public static double Norm(ReadOnlySpan<float> values)
    {
        double s = 0;
        foreach (float v in values) s += (double)v * v;
        return Math.Sqrt(s);
    }
}

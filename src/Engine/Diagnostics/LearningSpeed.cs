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
    /// Per layer with a weight W — Dense, Conv2d, SimpleRnn, LSTM, GRU, time-distributed Dense — in order: ‖∂C/∂b‖
    /// (b, or B for recurrent layers; NaN for a layer without a bias, such as a convolution before batch
    /// normalisation) and ‖∂C/∂W‖ of the cost over <paramref name="x"/> [n, ..InputShape]
    /// with <paramref name="targets"/> [n, outputs]. Overwrites the parameters' gradients; leaves the values alone.
    /// After it, <see cref="StepGradientNorms"/> reads ‖∂C/∂h_t‖ of the same pass.
    /// </summary>
    public static List<LayerLearningSpeed> Measure(Sequential net, ILoss loss, Tensor x, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(loss);
        var logits = net.Forward(x, training: false);
        var gradient = new Tensor(logits.ShapeArray);
        loss.Compute(logits, targets, gradient);
        net.Backward(gradient);
        var measured = new List<(string Name, Parameter Weight, Parameter? Bias)>();
        foreach (var layer in net.Layers)
        {
            var w = layer.Parameters.FirstOrDefault(p => p.Name == "W");
            var b = layer.Parameters.FirstOrDefault(p => p.Name is "b" or "B");
            if (w is not null && layer is not Layers.EmbeddingLayer) measured.Add((layer.Spec.Name, w, b));
        }
        var result = new List<LayerLearningSpeed>(measured.Count);
        for (int k = 0; k < measured.Count; k++)
            result.Add(new LayerLearningSpeed(measured[k].Name, k, IsHidden: k < measured.Count - 1,
                measured[k].Bias is { } bias ? Norm(bias.Gradient.Span) : double.NaN, Norm(measured[k].Weight.Gradient.Span), HasBias: measured[k].Bias is not null));
        return result;
    }

    /// <summary>
    /// ‖∂C/∂h_t‖ per time step of the network's first recurrent layer after the backward pass of
    /// <see cref="Measure"/> (time order), or null when the network has none: the gradient through time, which
    /// vanishes towards t = 0 in a vanilla RNN and survives in an LSTM or GRU.
    /// </summary>
    public static double[]? StepGradientNorms(Sequential net) =>
        net.Layers.OfType<RecurrentLayer>().FirstOrDefault()?.HiddenGradientNorms.ToArray();

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

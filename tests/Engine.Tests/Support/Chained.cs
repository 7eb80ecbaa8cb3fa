using DlBook.Engine.Layers;
using DlBook.Engine.Networks;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Tests.Support;

/// <summary>
/// A network's layers built alone, outside a <see cref="Sequential"/> (so no pair of them shares work), with the
/// network's parameter values: what the network's paired layers must agree with.
/// </summary>
internal static class Chained
{
    public static ILayer[] Layers(Sequential net, List<LayerSpec> specs, int[] inputShape)
    {
        var layers = new ILayer[specs.Count];
        int[] shape = inputShape;
        for (int i = 0; i < specs.Count; i++)
        {
            layers[i] = LayerFactory.Build(specs[i], shape, new Rng(99));
            shape = specs[i].OutputShape;
            for (int p = 0; p < layers[i].Parameters.Count; p++)
                net.Layers[i].Parameters[p].Value.Span.CopyTo(layers[i].Parameters[p].Value.Span);
        }
        return layers;
    }

    public static Tensor Forward(ILayer[] layers, Tensor x)
    {
        foreach (var layer in layers) x = layer.Forward(x, training: true);
        return x;
    }

    public static void Backward(ILayer[] layers, Tensor dy)
    {
        for (int i = layers.Length - 1; i >= 0; i--) dy = layers[i].Backward(dy);
    }

    /// <summary>Every parameter gradient of the network within atol + rtol·|chained| of the chained layers'.</summary>
    public static void AssertSameGradients(Sequential net, ILayer[] layers, float atol, float rtol, string what)
    {
        for (int l = 0; l < layers.Length; l++)
            for (int p = 0; p < layers[l].Parameters.Count; p++)
            {
                var want = layers[l].Parameters[p].Gradient.Span;
                var got = net.Layers[l].Parameters[p].Gradient.Span;
                for (int i = 0; i < want.Length; i++)
                    Xunit.Assert.True(Math.Abs(want[i] - got[i]) <= atol + rtol * Math.Abs(want[i]),
                        $"{what} {net.Layers[l].Spec.Name}.{layers[l].Parameters[p].Name}[{i}]: {got[i]} against {want[i]} chained");
            }
    }
}

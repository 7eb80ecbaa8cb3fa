using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Networks;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Convolution;

/// <summary>
/// A ReLU feeding a max pool in a network: the pool applies ReLU′ where it routes its gradient and the ReLU passes
/// it through. It must give what the layers give chained one after the other.
/// </summary>
public class ReluPoolTests
{
    private static List<LayerSpec> Specs(string activation, string pool) =>
    [
        new LayerSpec { Kind = LayerKinds.Conv2d, Name = "conv" }.With("filters", 4).With("kernel", 3).With("padding", "same"),
        new LayerSpec { Kind = LayerKinds.Activation, Name = "act" }.With("activation", activation),
        new LayerSpec { Kind = LayerKinds.MaxPool2d, Name = "pool" }.With("pool", pool),
        new LayerSpec { Kind = LayerKinds.Flatten, Name = "flat" },
        new LayerSpec { Kind = LayerKinds.Dense, Name = "out" }.With("units", 3),
    ];

    [Theory]
    // activation, pool, H, W: the 2×2 fast path (odd sizes leave a row and a column to no window), the general path
    [InlineData("Relu", "2", 9, 11, true)]
    [InlineData("Relu", "3", 10, 8, true)]
    [InlineData("LeakyRelu", "2", 9, 11, false)]
    public void AReluFeedingAMaxPoolGivesTheGradientsOfTheLayersChained(string activation, string pool, int h, int w, bool masks)
    {
        const int batch = 3;
        int[] input = [2, h, w];
        var net = new Sequential(Specs(activation, pool), input, Activation.Identity, new Rng(5));
        var rng = new Rng(6);
        var x = GradientCheck.Normal(rng, 1f, [batch, .. input]);
        var logits = net.Forward(x, training: true).Span.ToArray();
        Assert.Equal(masks, ((MaxPool2dLayer)net.Layers[2]).MasksByRelu);
        var dy = GradientCheck.Normal(rng, 1f, batch, 3);
        net.Backward(dy);

        var layers = Chained.Layers(net, Specs(activation, pool), input);
        var t = Chained.Forward(layers, x);
        Assert.False(((MaxPool2dLayer)layers[2]).MasksByRelu);
        Assert.Equal(t.Span.ToArray(), logits);
        Chained.Backward(layers, new Tensor(dy.Span.ToArray(), batch, 3));
        Chained.AssertSameGradients(net, layers, 1e-6f, 1e-5f, activation);
    }

    [Fact]
    public void TheConvolutionGradientThroughAMaskingPoolMatchesFiniteDifferences()
    {
        const int batch = 2;
        int[] input = [2, 7, 9];
        var net = new Sequential(Specs("Relu", "2"), input, Activation.Identity, new Rng(8));
        var rng = new Rng(9);
        var x = GradientCheck.Normal(rng, 1f, [batch, .. input]);
        var r = GradientCheck.Normal(rng, 1f, batch, 3);
        double Cost() => GradientCheck.Project(net.Forward(x, training: true).Span, r.Span);
        Cost();
        Assert.True(((MaxPool2dLayer)net.Layers[2]).MasksByRelu);
        net.Backward(r);
        var conv = net.Layers[0].Parameters;
        var dW = conv[0].Gradient.Span.ToArray();
        var dB = conv[1].Gradient.Span.ToArray();
        GradientCheck.Assert("conv W", Cost, conv[0].Value.Span, dW, h: 1e-3, rtol: 2e-2, atol: 1e-3);
        GradientCheck.Assert("conv b", Cost, conv[1].Value.Span, dB, h: 1e-3, rtol: 2e-2, atol: 1e-3);
    }
}

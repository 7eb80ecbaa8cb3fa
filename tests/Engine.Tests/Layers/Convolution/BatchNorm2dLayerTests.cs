using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Convolution;

public class BatchNorm2dLayerTests
{
    private static BatchNorm2dLayer Build(int[] input, float momentum = 0.1f) =>
        (BatchNorm2dLayer)LayerFactory.Build(new LayerSpec { Kind = LayerKinds.BatchNorm2d, Name = "bn" }.With("momentum", momentum), input, new Rng(1));

    // γ and β away from 1 and 0, so their gradients and the input's are all exercised.
    private static BatchNorm2dLayer BuildScaled(Rng rng, int[] input)
    {
        var layer = Build(input);
        var gamma = layer.Gamma.Value.Span;
        GradientCheck.Normal(rng, 0.5f, gamma.Length).Span.CopyTo(gamma);
        for (int i = 0; i < gamma.Length; i++) gamma[i] += 1;
        GradientCheck.Normal(rng, 0.5f, gamma.Length).Span.CopyTo(layer.Beta.Value.Span);
        return layer;
    }

    [Fact]
    public void TrainingGradientsOfGammaBetaAndInputMatchFiniteDifferences()
    {
        var rng = new Rng(31);
        var layer = BuildScaled(rng, [3, 4, 5]);
        var x = GradientCheck.Normal(rng, 2f, 2, 3, 4, 5);
        var r = GradientCheck.Normal(rng, 1f, 2, 3, 4, 5);
        double Cost() => GradientCheck.Project(layer.Forward(x, training: true).Span, r.Span);
        Cost();
        var dx = layer.Backward(r).Span.ToArray();
        var dGamma = layer.Gamma.Gradient.Span.ToArray();
        var dBeta = layer.Beta.Gradient.Span.ToArray();
        GradientCheck.Assert("BN2d gamma", Cost, layer.Gamma.Value.Span, dGamma, h: 1e-2);
        GradientCheck.Assert("BN2d beta", Cost, layer.Beta.Value.Span, dBeta, h: 1e-2);
        GradientCheck.Assert("BN2d x", Cost, x.Span, dx, h: 1e-2, rtol: 3e-2, atol: 1e-3);
    }

    [Fact]
    public void InferenceGradientsWithRunningStatisticsMatchFiniteDifferences()
    {
        var rng = new Rng(32);
        var layer = BuildScaled(rng, [3, 3, 4]);
        // Running statistics from a few training batches, not the initial 0 and 1.
        for (int step = 0; step < 3; step++) layer.Forward(GradientCheck.Normal(rng, 3f, 4, 3, 3, 4), training: true);
        Assert.DoesNotContain(0f, layer.RunningMean.Value.Span.ToArray());
        Assert.DoesNotContain(1f, layer.RunningVar.Value.Span.ToArray());
        var mean = layer.RunningMean.Value.Span.ToArray();
        var variance = layer.RunningVar.Value.Span.ToArray();

        var x = GradientCheck.Normal(rng, 2f, 3, 3, 3, 4);
        var r = GradientCheck.Normal(rng, 1f, 3, 3, 3, 4);
        double Cost() => GradientCheck.Project(layer.Forward(x, training: false).Span, r.Span);
        Cost();
        var dx = layer.Backward(r).Span.ToArray();
        var dGamma = layer.Gamma.Gradient.Span.ToArray();
        var dBeta = layer.Beta.Gradient.Span.ToArray();
        GradientCheck.Assert("BN2d inference gamma", Cost, layer.Gamma.Value.Span, dGamma, rtol: 1e-3, atol: 1e-3);
        GradientCheck.Assert("BN2d inference beta", Cost, layer.Beta.Value.Span, dBeta, rtol: 1e-3, atol: 1e-3);
        GradientCheck.Assert("BN2d inference x", Cost, x.Span, dx, rtol: 1e-3, atol: 1e-3);
        // Inference (forward and backward) leaves the statistics alone.
        Assert.Equal(mean, layer.RunningMean.Value.Span.ToArray());
        Assert.Equal(variance, layer.RunningVar.Value.Span.ToArray());
    }

    [Fact]
    public void StatisticsAreTakenPerChannelOverBatchHeightAndWidthAsPyTorch()
    {
        var layer = Build([2, 1, 2], momentum: 0.1f);
        // channel 0: 1, 2 | 3, 6 over two samples → mean 3, biased var 3.5, unbiased (over N·H·W − 1 = 3) 14/3;
        // channel 1: constant 5.
        var x = new Tensor([1, 2, 5, 5, 3, 6, 5, 5], 2, 2, 1, 2);
        var y = layer.Forward(x, training: true);
        Assert.Equal((1 - 3) / Math.Sqrt(3.5 + 1e-5), y.Span[0], 5);
        Assert.Equal((6 - 3) / Math.Sqrt(3.5 + 1e-5), y.Span[5], 5);
        Assert.Equal(0f, y.Span[2], 5);
        Assert.Equal(0.3f, layer.RunningMean.Value.Span[0], 6);
        Assert.Equal(0.5f, layer.RunningMean.Value.Span[1], 6);
        Assert.Equal(0.9 + 0.1 * 14.0 / 3, layer.RunningVar.Value.Span[0], 5);
        Assert.Equal(0.9f, layer.RunningVar.Value.Span[1], 6);

        layer.Gamma.Value.Span[0] = 2f;
        layer.Beta.Value.Span[0] = 0.5f;
        float rm = layer.RunningMean.Value.Span[0], rv = layer.RunningVar.Value.Span[0];
        var inf = layer.Forward(new Tensor([4f, -1f, 5f, 5f], 1, 2, 1, 2), training: false);
        Assert.Equal(2 * (4 - rm) / Math.Sqrt(rv + 1e-5) + 0.5, inf.Span[0], 5);
        Assert.Equal(2 * (-1 - rm) / Math.Sqrt(rv + 1e-5) + 0.5, inf.Span[1], 5);
        Assert.Equal(new[] { "gamma", "beta", "runningMean", "runningVar" }, layer.Spec.Parameters.Select(p => p.Name));
        Assert.All(layer.Spec.Parameters, p => Assert.Equal(new[] { 2 }, p.Shape));
        Assert.False(layer.RunningMean.Trainable);
        Assert.True(layer.Gamma.Trainable);
    }

    [Fact]
    public void OnePixelImagesNormaliseAsBatchNorm1d()
    {
        var rng = new Rng(33);
        var bn2 = Build([4, 1, 1]);
        var bn1 = (BatchNorm1dLayer)LayerFactory.Build(new LayerSpec { Kind = LayerKinds.BatchNorm1d, Name = "bn1" }, [4], new Rng(1));
        var x = GradientCheck.Normal(rng, 1f, 6, 4, 1, 1);
        var dy = GradientCheck.Normal(rng, 1f, 6, 4, 1, 1);
        Assert.Equal(bn1.Forward(new Tensor(x.Span.ToArray(), 6, 4), true).Span.ToArray(), bn2.Forward(x, true).Span.ToArray());
        Assert.Equal(bn1.Backward(new Tensor(dy.Span.ToArray(), 6, 4)).Span.ToArray(), bn2.Backward(dy).Span.ToArray());
        Assert.Equal(bn1.RunningVar.Value.Span.ToArray(), bn2.RunningVar.Value.Span.ToArray());
    }

    [Fact]
    public void BadSettingsAndInputsThrowNamingTheLayer()
    {
        var eps = Assert.Throws<ArgumentException>(() =>
            LayerFactory.Build(new LayerSpec { Kind = LayerKinds.BatchNorm2d, Name = "bn5" }.With("epsilon", 0f), [3, 4, 4], null));
        Assert.Contains("'bn5' (BatchNorm2d)", eps.Message);
        Assert.Contains("'epsilon'", eps.Message);
        var momentum = Assert.Throws<ArgumentException>(() =>
            LayerFactory.Build(new LayerSpec { Kind = LayerKinds.BatchNorm2d, Name = "bn5" }.With("momentum", 1.5f), [3, 4, 4], null));
        Assert.Contains("'momentum'", momentum.Message);
        var rank = Assert.Throws<ArgumentException>(() =>
            LayerFactory.Build(new LayerSpec { Kind = LayerKinds.BatchNorm2d, Name = "bn5" }, [48], null));
        Assert.Contains("[channels, height, width]", rank.Message);
        var layer = Build([3, 4, 4]);
        var channels = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(2, 4, 4, 3), true));
        Assert.Contains("'bn' (BatchNorm2d)", channels.Message);
        Assert.Contains("[batch, 3, 4, 4]", channels.Message);
        var early = Assert.Throws<InvalidOperationException>(() => Build([3, 4, 4]).Backward(new Tensor(1, 3, 4, 4)));
        Assert.Contains("before Forward", early.Message);
    }
}

using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers;

public class BatchNorm1dLayerTests
{
    private static BatchNorm1dLayer Build(int features, float momentum = 0.1f) =>
        (BatchNorm1dLayer)LayerFactory.Build(new LayerSpec { Kind = LayerKinds.BatchNorm1d, Name = "bn" }.With("momentum", momentum), [features], new Rng(1));

    [Fact]
    public void GradientsOfGammaBetaAndInputMatchFiniteDifferencesInTraining()
    {
        var rng = new Rng(21);
        var layer = Build(3);
        GradientCheck.Normal(rng, 0.5f, 3).Span.CopyTo(layer.Gamma.Value.Span);
        layer.Gamma.Value.Span[0] += 1;
        GradientCheck.Normal(rng, 0.5f, 3).Span.CopyTo(layer.Beta.Value.Span);
        var x = GradientCheck.Normal(rng, 2f, 5, 3);
        var r = GradientCheck.Normal(rng, 1f, 5, 3);
        double Cost() => GradientCheck.Project(layer.Forward(x, training: true).Span, r.Span);
        Cost();
        var dx = layer.Backward(r).Span.ToArray();
        var dGamma = layer.Gamma.Gradient.Span.ToArray();
        var dBeta = layer.Beta.Gradient.Span.ToArray();
        GradientCheck.Assert("BN gamma", Cost, layer.Gamma.Value.Span, dGamma, h: 1e-2);
        GradientCheck.Assert("BN beta", Cost, layer.Beta.Value.Span, dBeta, h: 1e-2);
        GradientCheck.Assert("BN x", Cost, x.Span, dx, h: 1e-2, rtol: 3e-2, atol: 1e-3);
    }

    [Fact]
    public void RunningStatisticsFollowPyTorchAndInferenceUsesThem()
    {
        var layer = Build(2, momentum: 0.1f);
        // feature 0: 1, 2, 3, 6 → mean 3, biased var 3.5, unbiased 14/3; feature 1: constant 5.
        var x = new Tensors.Tensor([1, 5, 2, 5, 3, 5, 6, 5], 4, 2);
        var y = layer.Forward(x, training: true);
        Assert.Equal((1 - 3) / Math.Sqrt(3.5 + 1e-5), y.Span[0], 5);
        Assert.Equal(0f, y.Span[1], 5);
        Assert.Equal(0.3f, layer.RunningMean.Value.Span[0], 6);
        Assert.Equal(0.5f, layer.RunningMean.Value.Span[1], 6);
        Assert.Equal(0.9 + 0.1 * 14.0 / 3, layer.RunningVar.Value.Span[0], 5);
        Assert.Equal(0.9f, layer.RunningVar.Value.Span[1], 6);
        layer.Forward(x, training: true);
        Assert.Equal(0.9 * 0.3 + 0.1 * 3, layer.RunningMean.Value.Span[0], 5);

        layer.Gamma.Value.Span[0] = 2f;
        layer.Beta.Value.Span[0] = 0.5f;
        float rm = layer.RunningMean.Value.Span[0], rv = layer.RunningVar.Value.Span[0];
        var single = new Tensors.Tensor([4f, 5f], 1, 2);
        var inf = layer.Forward(single, training: false);
        Assert.Equal(2 * (4 - rm) / Math.Sqrt(rv + 1e-5) + 0.5, inf.Span[0], 5);
        // Inference leaves the statistics alone.
        Assert.Equal(rm, layer.RunningMean.Value.Span[0]);
        Assert.False(layer.RunningMean.Trainable);
        Assert.False(layer.RunningVar.Trainable);
        Assert.True(layer.Gamma.Trainable);
    }

    [Fact]
    public void InferenceBackwardScalesByGammaOverRunningStd()
    {
        var layer = Build(2);
        layer.RunningVar.Value.Span.Fill(3f);
        layer.Gamma.Value.Span.Fill(2f);
        layer.Forward(new Tensors.Tensor([1f, 2f], 1, 2), training: false);
        var dx = layer.Backward(new Tensors.Tensor([1f, -1f], 1, 2));
        Assert.Equal(2 / Math.Sqrt(3 + 1e-5), dx.Span[0], 5);
        Assert.Equal(-2 / Math.Sqrt(3 + 1e-5), dx.Span[1], 5);
    }

    [Fact]
    public void SpecListsFourParametersWithDefaults()
    {
        var spec = new LayerSpec { Kind = LayerKinds.BatchNorm1d };
        LayerFactory.Build(spec, [30], null);
        Assert.Equal(["gamma", "beta", "runningMean", "runningVar"], spec.Parameters.Select(p => p.Name));
        Assert.Equal(1e-5f, spec.GetFloat("epsilon"));
        Assert.Equal(0.1f, spec.GetFloat("momentum"));
    }
}

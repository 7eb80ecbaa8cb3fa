using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers;

public class DenseLayerTests
{
    private static DenseLayer Build(int inputs, int units, ulong seed) =>
        (DenseLayer)LayerFactory.Build(new LayerSpec { Kind = LayerKinds.Dense, Name = "d" }
            .With("units", units).With("init", "GlorotNormal").With("biasInit", "StandardNormal"), [inputs], new Rng(seed));

    [Fact]
    public void ForwardIsXTimesWTransposedPlusBias()
    {
        var layer = Build(3, 2, 1);
        float[] w = [1, 2, 3, -1, 0.5f, 0];
        w.CopyTo(layer.Weights.Value.Span);
        float[] b = [0.25f, -1];
        b.CopyTo(layer.Bias.Value.Span);
        var x = new Tensors.Tensor([1, 0, -1, 2, 2, 2], 2, 3);
        var y = layer.Forward(x, training: true);
        Assert.Equal(new[] { 2, 2 }, y.ShapeArray);
        // row 0: [1-3, -1] + b ; row 1: [12, -1] + b
        Assert.Equal([1 - 3 + 0.25f, -1 - 1, 12 + 0.25f, -2 + 1 - 1], y.Span.ToArray());
    }

    [Fact]
    public void GradientsOfWeightsBiasAndInputMatchFiniteDifferences()
    {
        var rng = new Rng(5);
        var layer = Build(7, 5, 2);
        var x = GradientCheck.Normal(rng, 1f, 4, 7);
        var r = GradientCheck.Normal(rng, 1f, 4, 5);
        double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
        Cost();
        var dx = layer.Backward(r).Span.ToArray();
        var dW = layer.Weights.Gradient.Span.ToArray();
        var db = layer.Bias.Gradient.Span.ToArray();
        // The layer is linear, so central differences are exact up to float rounding.
        GradientCheck.Assert("Dense W", Cost, layer.Weights.Value.Span, dW, rtol: 1e-3, atol: 1e-3);
        GradientCheck.Assert("Dense b", Cost, layer.Bias.Value.Span, db, rtol: 1e-3, atol: 1e-3);
        GradientCheck.Assert("Dense x", Cost, x.Span, dx, rtol: 1e-3, atol: 1e-3);
    }

    [Fact]
    public void SpecIsCompletedWithShapesParametersAndDefaults()
    {
        var spec = new LayerSpec { Kind = LayerKinds.Dense }.With("units", 30);
        var layer = LayerFactory.Build(spec, [28, 28], new Rng(1));
        Assert.Equal("dense", spec.Name);
        Assert.Equal(new[] { 28, 28 }, spec.InputShape);
        Assert.Equal(new[] { 30 }, spec.OutputShape);
        Assert.Equal(["W", "b"], spec.Parameters.Select(p => p.Name));
        Assert.Equal(new[] { 30, 784 }, spec.Parameters[0].Shape);
        Assert.Equal("GlorotUniform", spec.GetString("init"));
        Assert.Equal(30 * 784 + 30, spec.ParameterCount);
        Assert.True(layer.Parameters[0].IsWeight);
        Assert.False(layer.Parameters[1].IsWeight);
        // A [batch, 28, 28] input is flattened per sample.
        var y = layer.Forward(new Tensors.Tensor(2, 28, 28), false);
        Assert.Equal(new[] { 2, 30 }, y.ShapeArray);
    }

    [Fact]
    public void NullRngLeavesZerosForLoading()
    {
        var layer = LayerFactory.Build(new LayerSpec { Kind = LayerKinds.Dense }.With("units", 4).With("biasInit", "StandardNormal"), [3], null);
        Assert.All(layer.Parameters, p => Assert.All(p.Value.Span.ToArray(), v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void WrongInputWidthNamesTheLayer()
    {
        var layer = Build(5, 2, 1);
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensors.Tensor(3, 4), true));
        Assert.Contains("'d'", e.Message);
        Assert.Contains("[3, 4]", e.Message);
    }

    [Fact]
    public void SkippingTheInputGradientKeepsParameterGradients()
    {
        var rng = new Rng(9);
        var a = Build(6, 3, 4);
        var b = Build(6, 3, 4);
        b.ComputeInputGradient = false;
        var x = GradientCheck.Normal(rng, 1f, 5, 6);
        var dy = GradientCheck.Normal(rng, 1f, 5, 3);
        a.Forward(x, true); a.Backward(dy);
        b.Forward(x, true);
        Assert.Equal(0, b.Backward(dy).Rows);
        Assert.Equal(a.Weights.Gradient.Span.ToArray(), b.Weights.Gradient.Span.ToArray());
        Assert.Equal(a.Bias.Gradient.Span.ToArray(), b.Bias.Gradient.Span.ToArray());
    }
}

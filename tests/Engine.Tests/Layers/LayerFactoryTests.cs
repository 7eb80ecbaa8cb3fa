using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Tests.Layers;

public class LayerFactoryTests
{
    [Fact]
    public void UnknownKindIsRejectedWithTheKnownKinds()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            LayerFactory.Build(new LayerSpec { Kind = "Conv9d", Name = "c1" }, [3], new Rng(1)));
        Assert.Contains("Conv9d", e.Message);
        Assert.Contains("'c1'", e.Message);
        Assert.Contains(LayerKinds.Dense, e.Message);
    }

    [Fact]
    public void RegisteredKindIsBuiltThroughItsBuilder()
    {
        LayerFactory.Register("TestScale", new ScaleBuilder());
        var spec = new LayerSpec { Kind = "TestScale" }.With("factor", 3f);
        var layer = LayerFactory.Build(spec, [2], null);
        Assert.Equal("testscale", spec.Name);
        var y = layer.Forward(new Tensor([1f, 2f], 1, 2), false);
        Assert.Equal([3f, 6f], y.Span.ToArray());
    }

    [Fact]
    public void ActivationLayerBackwardUsesItsOutput()
    {
        var spec = new LayerSpec { Kind = LayerKinds.Activation }.With("activation", "Sigmoid");
        var layer = LayerFactory.Build(spec, [2], null);
        var y = layer.Forward(new Tensor([0f, 2f], 1, 2), true).Span.ToArray();
        var dx = layer.Backward(new Tensor([1f, 1f], 1, 2)).Span.ToArray();
        Assert.Equal(0.25f, dx[0], 6);
        Assert.Equal(y[1] * (1 - y[1]), dx[1], 6);
        Assert.Equal(new[] { 2 }, spec.OutputShape);
        Assert.Equal(Activation.Sigmoid, ((ActivationLayer)layer).Activation);
    }

    [Fact]
    public void ActivationTypoNamesTheLayer()
    {
        var spec = new LayerSpec { Kind = LayerKinds.Activation, Name = "act7" }.With("activation", "Sigmod");
        var e = Assert.Throws<ArgumentException>(() => LayerFactory.Build(spec, [2], null));
        Assert.Contains("act7", e.Message);
        Assert.Contains("Sigmoid", e.Message);
    }

    private sealed class ScaleBuilder : ILayerBuilder
    {
        public ILayer Build(LayerSpec spec, int[] inputShape, Rng? rng)
        {
            spec.InputShape = inputShape;
            spec.OutputShape = inputShape;
            return new ScaleLayer(spec, spec.GetFloat("factor"));
        }
    }

    private sealed class ScaleLayer(LayerSpec spec, float factor) : ILayer
    {
        private readonly Tensor _y = new(1, 2);
        public LayerSpec Spec => spec;
        public IReadOnlyList<Parameter> Parameters => [];
        public Tensor Forward(Tensor input, bool training)
        {
            _y.ResizeRows(input.Rows);
            System.Numerics.Tensors.TensorPrimitives.Multiply(input.Span, factor, _y.Span);
            return _y;
        }
        public Tensor Backward(Tensor outputGradient) => outputGradient;
    }
}

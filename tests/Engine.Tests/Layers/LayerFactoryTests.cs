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

    [Theory]
    [InlineData("Relu")]
    [InlineData("LeakyRelu")]
    [InlineData("Tanh")]
    public void ActivationOfAFeatureMapBatchGivesTheSameBitsOnOneThreadAndOnTwo(string activation)
    {
        // 33 samples of 32 × 31 × 31 (1 M values): over the threshold where ReLU splits the batch across threads.
        int[] shape = [32, 31, 31];
        int size = 32 * 31 * 31, batch = 33;
        var rng = new DlBook.Engine.Random.Rng(5);
        var x = new Tensor([batch, .. shape]);
        var dy = new Tensor([batch, .. shape]);
        for (int i = 0; i < x.Length; i++) { x.Span[i] = rng.NextFloat() * 4 - 2; dy.Span[i] = rng.NextFloat() - 0.5f; }
        (float[] Y, float[] Dx) Pass(int threads)
        {
            int saved = DlBook.Engine.Kernels.Gemm.ForceThreads;
            DlBook.Engine.Kernels.Gemm.ForceThreads = threads;
            try
            {
                var layer = LayerFactory.Build(new LayerSpec { Kind = LayerKinds.Activation }.With("activation", activation), shape, null);
                var y = layer.Forward(x, true).Span.ToArray();
                return (y, layer.Backward(dy).Span.ToArray());
            }
            finally { DlBook.Engine.Kernels.Gemm.ForceThreads = saved; }
        }
        var one = Pass(1);
        var two = Pass(2);
        Assert.Equal(batch * size, one.Y.Length);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Dx, two.Dx);
        // And the values are the activation's: spot-check against the scalar definition.
        for (int i = 0; i < x.Length; i += 9973)
        {
            float z = x.Span[i];
            float expected = activation switch { "Relu" => Math.Max(0, z), "LeakyRelu" => z > 0 ? z : 0.01f * z, _ => MathF.Tanh(z) };
            Assert.Equal(expected, one.Y[i], 5);
        }
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

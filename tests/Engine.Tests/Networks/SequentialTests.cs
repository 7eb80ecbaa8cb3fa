using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Networks;

public class SequentialTests
{
    [Fact]
    public void MlpSpecsHaveStableUniqueNamesInTheBookOrder()
    {
        var specs = NetworkBuilder.Mlp(784, [30, 20], 10, Activation.Relu, "HeNormal", "Zeros", dropout: 0.2f, batchNorm: true);
        Assert.Equal(["dense1", "bn1", "act1", "dropout1", "dense2", "bn2", "act2", "dropout2", "dense3"], specs.Select(s => s.Name));
        var net = new Sequential(specs, [784], Activation.Softmax, new Rng(1));
        Assert.Equal(10, net.OutputSize);
        Assert.Equal(new[] { 30, 784 }, net.Specs[0].Parameters[0].Shape);
        Assert.Equal(new[] { 20 }, net.Specs[5].InputShape);
        Assert.Equal(9 * 4 / 4 * 0 + 2 + 4 + 2 + 4 + 2, net.Parameters.Count);
        Assert.Same(net.Layers[0], net.Layer("dense1"));
    }

    [Fact]
    public void UnnamedSpecsGetKindNumberedNamesAndDuplicatesAreRejected()
    {
        var specs = new List<LayerSpec>
        {
            new LayerSpec { Kind = LayerKinds.Dense }.With("units", 4),
            new LayerSpec { Kind = LayerKinds.Activation }.With("activation", "Tanh"),
            new LayerSpec { Kind = LayerKinds.Dense }.With("units", 2),
        };
        new Sequential(specs, [3], Activation.Identity, new Rng(1));
        Assert.Equal(["dense1", "act1", "dense2"], specs.Select(s => s.Name));
        var dup = new List<LayerSpec>
        {
            new LayerSpec { Kind = LayerKinds.Dense, Name = "x" }.With("units", 4),
            new LayerSpec { Kind = LayerKinds.Dense, Name = "x" }.With("units", 2),
        };
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => new Sequential(dup, [3], Activation.Identity, null)).Message);
    }

    [Theory]
    [InlineData("CrossEntropy", "Sigmoid", false)]
    [InlineData("SoftmaxCrossEntropy", "Tanh", true)]
    [InlineData("Quadratic", "Elu", false)]
    public void WholeNetworkGradientMatchesFiniteDifferences(string lossName, string hidden, bool batchNorm)
    {
        var rng = new Rng(31);
        var loss = LossFactory.Create(lossName);
        var specs = NetworkBuilder.Mlp(6, [5, 4], 3, ActivationFunctions.Parse(hidden), "GlorotNormal", "StandardNormal", batchNorm: batchNorm);
        var net = new Sequential(specs, [6], loss.OutputActivation, new Rng(2));
        var x = GradientCheck.Normal(rng, 1f, 5, 6);
        var y = GradientCheck.OneHot(rng, 5, 3);
        var scratch = new Tensor(5, 3);
        double Cost() => loss.Compute(net.Forward(x, training: true), y, scratch);
        var g = new Tensor(5, 3);
        loss.Compute(net.Forward(x, true), y, g);
        net.Backward(g);
        var grads = net.Parameters.Where(p => p.Trainable).Select(p => (p, p.Gradient.Span.ToArray())).ToList();
        Assert.Equal(batchNorm ? 10 : 6, grads.Count);
        // A bias feeding batch norm is cancelled by the mean subtraction: its gradient is truly zero.
        foreach (var (p, grad) in grads)
            GradientCheck.Assert($"{lossName}/{hidden} {p.Name}", Cost, p.Value.Span, grad, h: 1e-2, rtol: 3e-2, atol: 2e-4,
                requireNonZero: !(batchNorm && p.Name == "b" && p != grads[^1].p));
    }

    [Fact]
    public void PredictAppliesTheOutputActivationToTheLogits()
    {
        var net = new Sequential(NetworkBuilder.Mlp(4, [3], 5, Activation.Sigmoid, "GlorotUniform", "Zeros"), [4], Activation.Softmax, new Rng(3));
        var x = GradientCheck.Normal(new Rng(4), 1f, 2, 4);
        var logits = net.Forward(x, false).Span.ToArray();
        var p = net.Predict(x).Span.ToArray();
        for (int r = 0; r < 2; r++)
        {
            double sum = Enumerable.Range(0, 5).Sum(j => Math.Exp(logits[r * 5 + j]));
            for (int j = 0; j < 5; j++) Assert.Equal(Math.Exp(logits[r * 5 + j]) / sum, p[r * 5 + j], 6);
        }
    }

    [Fact]
    public void SameSeedTrainsToBitIdenticalWeights()
    {
        var a = Train(7);
        var b = Train(7);
        var c = Train(8);
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++) Assert.Equal(a[i], b[i]);
        Assert.NotEqual(a[0], c[0]);
    }

    private static List<float[]> Train(ulong seed)
    {
        var rng = new Rng(seed);
        var specs = NetworkBuilder.Mlp(784, [30], 10, Activation.Sigmoid, "Normal1OverFanIn", "StandardNormal", dropout: 0.1f);
        var net = new Sequential(specs, [784], Activation.Sigmoid, rng.Fork());
        var loss = new CrossEntropyLoss();
        var opt = new Momentum(0.9f);
        var g = new Tensor(10, 10);
        var data = rng.Fork();
        for (int step = 0; step < 5; step++)
        {
            var x = GradientCheck.Uniform(data, 0, 1, 10, 784);
            var y = GradientCheck.OneHot(data, 10, 10);
            loss.Compute(net.Forward(x, true), y, g);
            net.Backward(g);
            L2Regularization.AddToGradients(net.Parameters, 5f / 50_000);
            opt.Step(net.Parameters, 0.1f);
        }
        return net.Parameters.Select(p => p.Value.Span.ToArray()).ToList();
    }

    [Theory]
    [InlineData("Sgd", false)]
    [InlineData("Adam", true)]
    public void TrainingStepAllocatesNothingAtAFixedBatchSize(string optimizer, bool regularised)
    {
        var rng = new Rng(1);
        var specs = NetworkBuilder.Mlp(784, [30], 10, Activation.Sigmoid, "Normal1OverFanIn", "StandardNormal",
            dropout: regularised ? 0.2f : 0, batchNorm: regularised);
        var net = new Sequential(specs, [784], Activation.Sigmoid, rng);
        var loss = new CrossEntropyLoss();
        var opt = OptimizerFactory.Create(optimizer);
        var x = GradientCheck.Uniform(rng, 0, 1, 10, 784);
        var y = GradientCheck.OneHot(rng, 10, 10);
        var g = new Tensor(10, 10);
        void Step()
        {
            loss.Compute(net.Forward(x, true), y, g);
            net.Backward(g);
            L2Regularization.AddToGradients(net.Parameters, 1e-4f);
            GradientClipping.ByGlobalNorm(net.Parameters, 5f);
            opt.Step(net.Parameters, 0.01f);
        }
        for (int i = 0; i < 200; i++) Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}

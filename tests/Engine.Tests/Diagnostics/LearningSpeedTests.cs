using DlBook.Engine.Activations;
using DlBook.Engine.Diagnostics;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;
using Xunit.Abstractions;

namespace DlBook.Engine.Tests.Diagnostics;

public class LearningSpeedTests(ITestOutputHelper output)
{
    // Chapter 34 (network2, fig/generate_gradient.py): ‖mean δˡ‖ per hidden layer at initialisation.
    public static TheoryData<int[], double[]> Book => new()
    {
        { [784, 30, 30, 10], [0.0657, 0.309] },
        { [784, 30, 30, 30, 10], [0.0118, 0.0600, 0.283] },
        { [784, 30, 30, 30, 30, 10], [0.00298, 0.0171, 0.0695, 0.285] },
    };

    [Theory]
    [MemberData(nameof(Book))]
    public void InitialLearningSpeedsReproduceChapter34WithoutDataFiles(int[] sizes, double[] book)
    {
        // U(0,1) pixels with random one-hot labels give MNIST's norms at initialisation (the peers' check):
        // the N(0,1) biases and σ′ dominate, not the images.
        var data = new Rng(123);
        var x = GradientCheck.Uniform(data, 0, 1, 1000, 784);
        var y = GradientCheck.OneHot(data, 1000, 10);
        var loss = new CrossEntropyLoss();
        var mean = new double[book.Length];
        const int seeds = 10;
        for (ulong seed = 0; seed < seeds; seed++)
        {
            var specs = NetworkBuilder.Mlp(784, sizes[1..^1], 10, Activation.Sigmoid, "Normal1OverFanIn", "StandardNormal");
            var net = new Sequential(specs, [784], Activation.Sigmoid, new Rng(seed));
            var norms = LearningSpeed.Measure(net, loss, x, y);
            Assert.Equal(book.Length + 1, norms.Count);
            Assert.False(norms[^1].IsHidden);
            var hidden = norms.Where(n => n.IsHidden).ToArray();
            for (int l = 0; l < book.Length; l++) mean[l] += hidden[l].BiasGradientNorm / seeds;
        }
        output.WriteLine($"[{string.Join(",", sizes)}] mean of {seeds} seeds: {string.Join(", ", mean.Select(m => m.ToString("G3")))}; book {string.Join(", ", book)}");
        for (int l = 0; l + 1 < book.Length; l++)
        {
            Assert.True(mean[l] < mean[l + 1], $"layer {l + 1} ({mean[l]:G3}) should learn slower than layer {l + 2} ({mean[l + 1]:G3})");
            double ratio = mean[l + 1] / mean[l], bookRatio = book[l + 1] / book[l];
            Assert.InRange(ratio / bookRatio, 0.5, 2.0);
        }
        // And the last hidden layer's speed itself is the book's within the seed-to-seed spread.
        Assert.InRange(mean[^1] / book[^1], 0.6, 1.6);
    }

    [Fact]
    public void BiasGradientIsTheMeanDeltaNotTheMeanOfNorms()
    {
        var rng = new Rng(4);
        var net = new Sequential(NetworkBuilder.Mlp(5, [4], 3, Activation.Sigmoid, "Normal1OverFanIn", "StandardNormal"), [5], Activation.Sigmoid, new Rng(5));
        var loss = new CrossEntropyLoss();
        var x = GradientCheck.Uniform(rng, 0, 1, 8, 5);
        var y = GradientCheck.OneHot(rng, 8, 3);
        var all = LearningSpeed.Measure(net, loss, x, y);
        // Sum the per-sample bias gradients of the output layer (δ = a − y for one sample) and average them.
        var mean = new double[3];
        for (int r = 0; r < 8; r++)
        {
            var xr = new Tensor(x.Row(r).ToArray(), 1, 5);
            var a = net.Predict(xr).Span.ToArray();
            for (int j = 0; j < 3; j++) mean[j] += (a[j] - y.Row(r)[j]) / 8;
        }
        Assert.Equal(Math.Sqrt(mean.Sum(v => v * v)), all[^1].BiasGradientNorm, 5);
        Assert.Equal("dense2", all[^1].Layer);
        Assert.Equal(1, all[^1].Index);   // the second Dense layer (an activation layer sits between)
        Assert.True(all[0].WeightGradientNorm > 0);
    }
}

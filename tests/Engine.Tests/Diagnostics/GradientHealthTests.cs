using DlBook.Engine.Activations;
using DlBook.Engine.Diagnostics;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Random;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Diagnostics;

public class GradientHealthTests
{
    private static LayerLearningSpeed N(string name, int i, bool hidden, double b, double w) => new(name, i, hidden, b, w);

    [Fact]
    public void HealthyNetworkHasNoWarnings()
    {
        var r = GradientHealth.Assess([N("dense1", 0, true, 0.07, 1), N("dense2", 2, true, 0.3, 2), N("dense3", 4, false, 0.5, 3)]);
        Assert.True(r.IsHealthy);
        Assert.Equal(0.07 / 0.3, r.FirstToLastRatio!.Value, 9);
    }

    [Fact]
    public void VanishingNamesTheFirstAndLastHiddenLayers()
    {
        var r = GradientHealth.Assess([N("dense1", 0, true, 0.001, 1), N("dense2", 2, true, 0.02, 2), N("dense3", 4, true, 0.3, 2), N("out", 6, false, 0.5, 3)]);
        Assert.True(r.IsVanishing);
        Assert.False(r.IsExploding);
        var w = Assert.Single(r.Warnings);
        Assert.Contains("'dense1'", w);
        Assert.Contains("'dense3'", w);
    }

    [Fact]
    public void ExplodingIsFlaggedForNonFiniteLargeAndFastGrowingNorms()
    {
        var previous = new[] { N("dense1", 0, true, 0.1, 1), N("dense2", 2, false, 0.1, 1) };
        var r = GradientHealth.Assess([N("dense1", 0, true, 0.5, 11), N("dense2", 2, false, double.NaN, 5000)], previous);
        Assert.True(r.IsExploding);
        Assert.Contains(r.Warnings, w => w.Contains("'dense1'") && w.Contains("grew"));
        Assert.Contains(r.Warnings, w => w.Contains("'dense2'") && w.Contains("non-finite"));
        Assert.Contains(r.Warnings, w => w.Contains("'dense2'") && w.Contains("5E+03"));
        var strict = GradientHealth.Assess([N("dense1", 0, true, 0.5, 2)], previous, new GradientHealthOptions { GrowthFactor = 100, ExplodingNorm = 1e6 });
        Assert.True(strict.IsHealthy);
    }

    [Fact]
    public void ALayerWithoutABiasIsJudgedByItsWeightsAlone()
    {
        // A convolution before batch normalisation has no bias: its ‖∂C/∂b‖ is NaN, its ‖∂C/∂W‖ finite.
        var r = GradientHealth.Assess([new("conv1", 0, true, double.NaN, 0.3, HasBias: false), N("conv2", 1, true, 0.2, 0.4), N("dense1", 2, false, 0.1, 0.5)]);
        Assert.True(r.IsHealthy, string.Join(" ", r.Warnings));
        Assert.False(GradientHealth.Assess([new("conv1", 0, true, double.NaN, double.NaN, HasBias: false)]).IsHealthy);
    }

    [Fact]
    public void TinyNormsSwingingByLargeFactorsNearAMinimumAreNotExploding()
    {
        var previous = new[] { N("lstm1", 0, true, 0.00178, 0.0019) };
        var r = GradientHealth.Assess([N("lstm1", 0, true, 0.0353, 0.0191)], previous);
        Assert.True(r.IsHealthy, string.Join(" ", r.Warnings));
        Assert.False(GradientHealth.Assess([N("lstm1", 0, true, 0.0353, 0.0191)], previous, new GradientHealthOptions { GrowthFloor = 0.01 }).IsHealthy);
    }

    [Fact]
    public void DeepSigmoidNetworkAtInitialisationIsFlaggedAsVanishing()
    {
        var rng = new Rng(2);
        var x = GradientCheck.Uniform(rng, 0, 1, 200, 784);
        var y = GradientCheck.OneHot(rng, 200, 10);
        var net = new Sequential(NetworkBuilder.Mlp(784, [30, 30, 30, 30, 30, 30], 10, Activation.Sigmoid, "Normal1OverFanIn", "StandardNormal"),
            [784], Activation.Sigmoid, new Rng(3));
        var report = GradientHealth.Assess(LearningSpeed.Measure(net, new CrossEntropyLoss(), x, y));
        Assert.True(report.IsVanishing, $"ratio {report.FirstToLastRatio}");
        Assert.Contains("'dense1'", report.Warnings[0]);
        Assert.Contains("'dense6'", report.Warnings[0]);
    }
}

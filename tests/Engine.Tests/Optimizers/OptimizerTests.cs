using DlBook.Engine.Layers;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Tests.Optimizers;

public class OptimizerTests
{
    // Expected [W0, W1, b] after steps 1 and 2, from torch.optim (1.13, float64) with lr 0.1, weight W = [1, −2],
    // bias b = [0.5], gradients (gW, gb) = ([0.5, 0.25], [−1]) then ([−0.1, 0.3], [0.2]); AdamW decays W only (0.5).
    public static TheoryData<string, double[], double[]> PyTorch => new()
    {
        { "Sgd", [0.95, -2.025, 0.6], [0.96, -2.055, 0.58] },
        { "Momentum", [0.95, -2.025, 0.6], [0.915, -2.0775, 0.67] },
        { "Nesterov", [0.905, -2.0475, 0.69], [0.8835, -2.12475, 0.733] },
        { "Adagrad", [0.9, -2.1, 0.6], [0.919611614, -2.176822128, 0.580388386] },
        { "RmsProp", [2e-07, -2.9999996, 1.4999999], [0.197066017, -3.769799761, 1.302934064] },
        { "Adam", [0.900000002, -2.099999996, 0.599999999], [0.848897396, -2.200061304, 0.651102606] },
        { "AdamW", [0.850000002, -1.999999996, 0.599999999], [0.756397396, -2.000061304, 0.651102606] },
    };

    private static Parameter[] Parameters()
    {
        var w = new Parameter("W", new Tensor([1f, -2f], 2), isWeight: true);
        var b = new Parameter("b", new Tensor([0.5f], 1), isWeight: false);
        var running = new Parameter("runningMean", new Tensor([3f], 1), isWeight: false, trainable: false);
        running.Gradient.Span[0] = 1f;
        return [w, b, running];
    }

    [Theory]
    [MemberData(nameof(PyTorch))]
    public void TwoStepsMatchPyTorch(string name, double[] afterOne, double[] afterTwo)
    {
        var opt = OptimizerFactory.Create(name, weightDecay: name == "AdamW" ? 0.5f : null);
        Assert.Equal(name, opt.Name);
        var ps = Parameters();
        float[][] gw = [[0.5f, 0.25f], [-0.1f, 0.3f]];
        float[][] gb = [[-1f], [0.2f]];
        for (int step = 0; step < 2; step++)
        {
            gw[step].CopyTo(ps[0].Gradient.Span);
            gb[step].CopyTo(ps[1].Gradient.Span);
            opt.Step(ps, 0.1f);
            var expected = step == 0 ? afterOne : afterTwo;
            Assert.Equal(expected[0], ps[0].Value.Span[0], 5);
            Assert.Equal(expected[1], ps[0].Value.Span[1], 5);
            Assert.Equal(expected[2], ps[1].Value.Span[0], 5);
            Assert.Equal(3f, ps[2].Value.Span[0]); // running statistics are never stepped
        }
    }

    [Fact]
    public void VectorisedPathMatchesTheScalarTail()
    {
        // 37 elements: two 16-wide vectors and a scalar tail must give the same update per element.
        var w = new Parameter("W", new Tensor(37), isWeight: true);
        w.Value.Span.Fill(1f);
        w.Gradient.Span.Fill(0.5f);
        var adam = new Adam();
        adam.Step([w], 0.01f);
        adam.Step([w], 0.01f);
        Assert.All(w.Value.Span.ToArray(), v => Assert.Equal(w.Value.Span[0], v));
        Assert.Equal(0.98, w.Value.Span[0], 5);
    }

    [Fact]
    public void UnknownNameListsTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => OptimizerFactory.Create("adamax"));
        Assert.Contains("AdamW", e.Message);
    }
}

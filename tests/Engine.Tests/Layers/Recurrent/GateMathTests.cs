using System.Runtime.Intrinsics;
using DlBook.Engine.Layers;

namespace DlBook.Engine.Tests.Layers.Recurrent;

/// <summary>The recurrent cells' vector sigmoid and tanh against double-precision math.</summary>
public class GateMathTests
{
    private static float[] Lanes(Func<Vector512<float>, Vector512<float>> f, float[] x)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i += 16) f(Vector512.Create(x, i)).CopyTo(y, i);
        return y;
    }

    private static float[] Sweep(float lo, float hi, int count) =>
        Enumerable.Range(0, count).Select(i => lo + (hi - lo) * i / (count - 1)).ToArray();

    [Fact]
    public void TheClampKeepsTheSignAndInfinitiesSaturateWhileNaNStaysNaN()
    {
        if (!GateMath.Vector) return;   // the scalar tails use MathF
        // The clamp is min/max, in the order that lets NaN through (one vrangeps would turn NaN into ±88.7), at both
        // signs and past both ends of the clamp.
        float[] x = [-88.7f, 88.7f, -88.8f, 88.8f, -44.35f, 44.35f, -44.4f, 44.4f, float.NegativeInfinity, float.PositiveInfinity,
            float.NaN, -1e-30f, 1e-30f, -3f, 3f, -0f];
        var s = Lanes(GateMath.Sigmoid, x);
        var t = Lanes(GateMath.Tanh, x);
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i]))
            {
                Assert.True(float.IsNaN(s[i]) && float.IsNaN(t[i]), $"σ(NaN) = {s[i]}, tanh(NaN) = {t[i]}");
                continue;
            }
            double sig = x[i] < -88.7f ? 0 : 1 / (1 + Math.Exp(-x[i]));
            Assert.True(Math.Abs(s[i] - sig) <= 4e-7 * sig + 4e-39, $"σ({x[i]:R}) = {s[i]:R}, exact {sig:R}");
            Assert.True(Math.Abs(t[i] - Math.Tanh(x[i])) <= 4e-7, $"tanh({x[i]:R}) = {t[i]:R}, exact {Math.Tanh(x[i]):R}");
            Assert.True(s[i] >= 0 && s[i] <= 1 && t[i] >= -1 && t[i] <= 1, $"x = {x[i]:R}: σ = {s[i]:R}, tanh = {t[i]:R}");
        }
        Assert.Equal(0.5f, s[15]);
        Assert.Equal(0f, t[15]);
    }

    [Fact]
    public void SigmoidAndTanhAreWithinAFewUlpAndSaturate()
    {
        if (!GateMath.Vector) return;
        var x = Sweep(-60f, 60f, 48_000);
        var s = Lanes(GateMath.Sigmoid, x);
        var t = Lanes(GateMath.Tanh, x);
        for (int i = 0; i < x.Length; i++)
        {
            double sig = 1 / (1 + Math.Exp(-x[i]));
            Assert.True(Math.Abs(s[i] - sig) <= 4e-7 * sig + 1e-38, $"σ({x[i]}) = {s[i]:R}, exact {sig:R}");
            Assert.True(Math.Abs(t[i] - Math.Tanh(x[i])) <= 4e-7, $"tanh({x[i]}) = {t[i]:R}, exact {Math.Tanh(x[i]):R}");
        }
        float[] far = [-1e30f, -200f, 200f, 1e30f, -20f, 20f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f];
        var sf = Lanes(GateMath.Sigmoid, far);
        var tf = Lanes(GateMath.Tanh, far);
        Assert.True(sf[0] >= 0 && sf[0] < 1e-38f && sf[1] >= 0 && sf[1] < 1e-38f, $"{sf[0]}, {sf[1]}");
        Assert.Equal([1f, 1f], sf[2..4]);
        Assert.Equal([-1f, -1f, 1f, 1f, -1f, 1f], tf[..6]);
        Assert.Equal(0.5f, sf[6]);
        Assert.Equal(0f, tf[6]);
    }
}

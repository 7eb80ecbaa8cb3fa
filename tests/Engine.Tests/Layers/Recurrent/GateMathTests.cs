using System.Runtime.Intrinsics;
using DlBook.Engine.Layers;

namespace DlBook.Engine.Tests.Layers.Recurrent;

/// <summary>The recurrent cells' vector exp, sigmoid and tanh against double-precision math.</summary>
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
    public void ExpIsWithinTwoUlpOverTheFloatRangeAndSaturatesWithoutNaN()
    {
        if (!GateMath.Vector) return;   // the scalar tails use MathF
        var x = Sweep(-87f, 88.5f, 160_000).Concat(Sweep(-1e-3f, 1e-3f, 1_600)).ToArray();
        var y = Lanes(GateMath.Exp, x);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Exp(x[i]);
            double ulp = Math.Abs(MathF.BitIncrement((float)exact) - (float)exact);
            Assert.True(Math.Abs(y[i] - exact) <= 2 * ulp, $"exp({x[i]:R}) = {y[i]:R}, exact {exact:R} ({Math.Abs(y[i] - exact) / ulp:F2} ulp)");
        }

        float[] extremes = [-1e30f, -150f, -104f, 89f, 200f, 1e30f, 0f, -0f, 1f, -1f, 88.7f, -103.9f, 50f, -50f, 10f, -10f];
        var e = Lanes(GateMath.Exp, extremes);
        Assert.All(e, v => Assert.True(float.IsFinite(v) && v >= 0, $"{v}"));
        Assert.True(e[0] <= float.Epsilon, $"{e[0]}");   // e^-103.9 rounds to the smallest subnormal
        Assert.True(e[5] > 3e38f);
        Assert.Equal(1f, e[6]);
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

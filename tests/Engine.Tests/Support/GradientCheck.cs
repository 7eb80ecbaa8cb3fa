using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Tests.Support;

/// <summary>Central finite differences against analytic gradients, with the worst mismatch in the failure message.</summary>
internal static class GradientCheck
{
    /// <summary>
    /// For every element i of <paramref name="values"/>: (C(v+h) − C(v−h))/2h versus <paramref name="analytic"/>[i].
    /// Passes when |numeric − analytic| ≤ atol + rtol·max(|numeric|, |analytic|).
    /// </summary>
    public static void Assert(string what, Func<double> cost, Span<float> values, ReadOnlySpan<float> analytic,
        double h = 1e-2, double rtol = 2e-2, double atol = 2e-4, bool requireNonZero = true)
    {
        Xunit.Assert.Equal(values.Length, analytic.Length);
        double worst = 0;
        string detail = "";
        int nonZero = 0;
        for (int i = 0; i < values.Length; i++)
        {
            float saved = values[i];
            values[i] = (float)(saved + h);
            double plus = cost();
            values[i] = (float)(saved - h);
            double minus = cost();
            values[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            double a = analytic[i];
            if (Math.Abs(numeric) > 1e-6) nonZero++;
            double excess = Math.Abs(numeric - a) - (atol + rtol * Math.Max(Math.Abs(numeric), Math.Abs(a)));
            if (excess > worst) { worst = excess; detail = $"element {i}: numeric {numeric:G6}, analytic {a:G6}"; }
        }
        Xunit.Assert.True(worst <= 0, $"{what}: gradient mismatch at {detail}");
        Xunit.Assert.True(nonZero > 0 || !requireNonZero, $"{what}: every numeric derivative is zero, the check proves nothing.");
    }

    /// <summary>Σ r·y in double: a scalar cost whose gradient with respect to y is r.</summary>
    public static double Project(ReadOnlySpan<float> y, ReadOnlySpan<float> r)
    {
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += (double)y[i] * r[i];
        return s;
    }

    /// <summary>A tensor of N(0, scale²) values.</summary>
    public static Tensor Normal(Rng rng, float scale, params int[] shape)
    {
        var t = new Tensor(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (float)(scale * rng.NextNormal());
        return t;
    }

    /// <summary>A tensor of U(lo, hi) values.</summary>
    public static Tensor Uniform(Rng rng, float lo, float hi, params int[] shape)
    {
        var t = new Tensor(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = lo + (hi - lo) * rng.NextFloat();
        return t;
    }

    /// <summary>[rows, classes] one-hot rows with random classes.</summary>
    public static Tensor OneHot(Rng rng, int rows, int classes)
    {
        var t = new Tensor(rows, classes);
        for (int r = 0; r < rows; r++) t.Row(r)[rng.NextInt(classes)] = 1f;
        return t;
    }
}

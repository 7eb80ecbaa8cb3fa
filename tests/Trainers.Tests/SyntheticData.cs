using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Trainers.Tests;

/// <summary>A row with a 4-value feature vector and a float label (regression, or binary 0/1).</summary>
public sealed class FloatRow
{
    [VectorType(4)]
    public float[] Features { get; set; } = [];
    public float Label { get; set; }
}

/// <summary>A row with a 4-value feature vector and a Boolean label (a 0/1 scalar column).</summary>
public sealed class BoolRow
{
    [VectorType(4)]
    public float[] Features { get; set; } = [];
    public bool Label { get; set; }
}

/// <summary>Small synthetic sets, generated from a seed, for the tasks MNIST does not cover directly.</summary>
internal static class SyntheticData
{
    private static float[] Point(Random rng) => [.. Enumerable.Range(0, 4).Select(_ => (float)(rng.NextDouble() * 2 - 1))];

    /// <summary>Linearly separable: label = x0 + 0.5·x1 − 0.3·x2 &gt; 0.</summary>
    public static bool Side(float[] x) => x[0] + 0.5f * x[1] - 0.3f * x[2] > 0;

    /// <summary>A smooth target: y = sin(π·x0) + 0.5·x1 − x2·x3.</summary>
    public static float Smooth(float[] x) => MathF.Sin(MathF.PI * x[0]) + 0.5f * x[1] - x[2] * x[3];

    public static IDataView Binary(DlContext ctx, int rows, int seed)
    {
        var rng = new Random(seed);
        var data = Enumerable.Range(0, rows).Select(_ => Point(rng)).Select(x => new BoolRow { Features = x, Label = Side(x) }).ToList();
        return ctx.Data.LoadFromEnumerable(data);
    }

    public static IDataView Regression(DlContext ctx, int rows, int seed)
    {
        var rng = new Random(seed);
        var data = Enumerable.Range(0, rows).Select(_ => Point(rng)).Select(x => new FloatRow { Features = x, Label = Smooth(x) }).ToList();
        return ctx.Data.LoadFromEnumerable(data);
    }
}

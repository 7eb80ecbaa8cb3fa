using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Tensors;

namespace DlBook.Export.Tests.Support;

/// <summary>Builds small networks from LayerSpecs with seeded random weights.</summary>
internal static class Networks
{
    public static LayerSpec Dense(string name, int inputs, int outputs) => new()
    {
        Kind = LayerKinds.Dense, Name = name, InputShape = [inputs], OutputShape = [outputs],
        Parameters = [new ParameterSpec("W", [outputs, inputs]), new ParameterSpec("b", [outputs])],
    };

    public static LayerSpec Act(string name, int size, Activation a, float? alpha = null)
    {
        var s = new LayerSpec { Kind = LayerKinds.Activation, Name = name, InputShape = [size], OutputShape = [size] }.With("activation", a.ToString());
        if (alpha is float al) s.With("alpha", al);
        return s;
    }

    public static LayerSpec Dropout(string name, int size) =>
        new LayerSpec { Kind = LayerKinds.Dropout, Name = name, InputShape = [size], OutputShape = [size] }.With("rate", 0.5f);

    public static LayerSpec BatchNorm(string name, int size) => new LayerSpec
    {
        Kind = LayerKinds.BatchNorm1d, Name = name, InputShape = [size], OutputShape = [size],
        Parameters = [new ParameterSpec("gamma", [size]), new ParameterSpec("beta", [size]), new ParameterSpec("runningMean", [size]), new ParameterSpec("runningVar", [size])],
    }.With("epsilon", 1e-5f).With("momentum", 0.1f);

    /// <summary>A network over the given layers with N(0, 0.5²)-ish weights; batch-norm variances positive.</summary>
    public static FakeNetworkModel Build(int inputs, Activation output, string task, params LayerSpec[] layers)
    {
        int outputs = layers[^1].OutputShape[0];
        var labels = task == "Regression" ? null : Enumerable.Range(0, Math.Max(outputs, 2)).Select(i => $"class{i}").ToArray();
        var model = new FakeNetworkModel([inputs], layers, output, task, labels);
        var rng = new Random(42);
        foreach (var l in layers)
            foreach (var p in l.Parameters)
            {
                var t = new Tensor(p.Shape);
                for (int i = 0; i < t.Length; i++)
                    t.Span[i] = p.Name == "runningVar" ? 0.5f + (float)rng.NextDouble() : (float)(rng.NextDouble() - 0.5);
                model.Set(l.Name, p.Name, t);
            }
        return model;
    }

    /// <summary>Random inputs in [0, 1), as pixels are.</summary>
    public static float[] Inputs(int rows, int size, int seed = 7)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, rows * size).Select(_ => (float)rng.NextDouble()).ToArray();
    }
}

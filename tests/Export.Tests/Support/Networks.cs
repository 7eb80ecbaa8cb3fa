using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Tensors;

using DlBook.Engine.Networks;
using DlBook.Pipelines.Schema;

namespace DlBook.Export.Tests.Support;

/// <summary>Builds small networks from LayerSpecs with seeded random weights.</summary>
internal static class Networks
{
    public static LayerSpec Dense(string name, int inputs, int outputs) => new LayerSpec
    {
        Kind = LayerKinds.Dense, Name = name, InputShape = [inputs], OutputShape = [outputs],
        Parameters = [new ParameterSpec("W", [outputs, inputs]), new ParameterSpec("b", [outputs])],
    }.With("units", outputs);

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

    /// <summary>A network over the given layers with U(−0.5, 0.5) weights (batch-norm variances in [0.5, 1.5)), as a task with class names.</summary>
    public static TestNet Build(int inputs, Activation output, PredictionKind task, params LayerSpec[] layers)
    {
        var net = new Sequential(layers, [inputs], output, rng: null);
        var labels = task == PredictionKind.Regression ? null : Enumerable.Range(0, Math.Max(net.OutputSize, 2)).Select(i => $"class{i}").ToArray();
        var rng = new Random(42);
        foreach (var l in net.Layers)
            foreach (var p in l.Parameters)
            {
                var t = p.Value.Span;
                for (int i = 0; i < t.Length; i++)
                    t[i] = p.Name == "runningVar" ? 0.5f + (float)rng.NextDouble() : (float)(rng.NextDouble() - 0.5);
            }
        return new TestNet(net, task, labels);
    }

    /// <summary>Random inputs in [0, 1), as pixels are.</summary>
    public static float[] Inputs(int rows, int size, int seed = 7)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, rows * size).Select(_ => (float)rng.NextDouble()).ToArray();
    }
}

/// <summary>A network built for a test, with the task and class names its export is written for.</summary>
internal sealed record TestNet(Sequential Net, PredictionKind Task, string[]? Labels)
{
    /// <summary>The ONNX bytes of the network alone (input "Features").</summary>
    public byte[] Bytes(int opset = DlBook.Export.Onnx.OnnxExporter.DefaultOpset) => DlBook.Export.Onnx.OnnxExporter.ToBytes(Net, Task, Labels, opset);

    /// <summary>What the engine predicts: activated outputs, or for binary the probability.</summary>
    public Tensor Predict(Tensor x) => Net.Predict(x).Clone();
}

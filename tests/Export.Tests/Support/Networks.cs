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

    /// <summary>A Conv2d spec; the engine fills shapes, parameters and the resolved "pads" when the network is built.</summary>
    public static LayerSpec Conv(string name, int filters, string kernel, string stride = "1", string padding = "valid", string dilation = "1", bool bias = true) =>
        new LayerSpec { Kind = LayerKinds.Conv2d, Name = name }
            .With("filters", filters).With("kernel", kernel).With("stride", stride).With("padding", padding).With("dilation", dilation).With("bias", bias);

    /// <summary>A MaxPool2d or AvgPool2d spec (stride null: the pool).</summary>
    public static LayerSpec Pool(string kind, string name, string pool, string? stride = null, string padding = "valid")
    {
        var s = new LayerSpec { Kind = kind, Name = name }.With("pool", pool).With("padding", padding);
        return stride is null ? s : s.With("stride", stride);
    }

    /// <summary>A spec of a layer without settings (Flatten, GlobalAvgPool2d, BatchNorm2d with its defaults).</summary>
    public static LayerSpec Plain(string kind, string name) => new() { Kind = kind, Name = name };

    /// <summary>A Dense or Activation spec for a shaped network (the engine fills the shapes).</summary>
    public static LayerSpec Units(string name, int units) => new LayerSpec { Kind = LayerKinds.Dense, Name = name }.With("units", units);

    /// <summary>An Activation spec for a shaped network.</summary>
    public static LayerSpec Act(string name, Activation a) => new LayerSpec { Kind = LayerKinds.Activation, Name = name }.With("activation", a.ToString());

    /// <summary>
    /// A network over image-shaped input with the layers' own seeded initialisers (Glorot for Conv2d and Dense, so
    /// activations stay O(1) and the outputs are not saturated), biases, γ and β set to U(−0.5, 0.5), and running
    /// statistics from <paramref name="statisticsBatches"/> training-mode passes over random batches.
    /// </summary>
    public static TestNet BuildShaped(int[] inputShape, Activation output, PredictionKind task, int statisticsBatches, params LayerSpec[] layers)
    {
        var net = new Sequential(layers, inputShape, output, new DlBook.Engine.Random.Rng(23));
        var rng = new Random(42);
        foreach (var l in net.Layers)
            foreach (var p in l.Parameters.Where(p => p.Name is "b" or "gamma" or "beta"))
            {
                var t = p.Value.Span;
                for (int i = 0; i < t.Length; i++) t[i] = (p.Name == "gamma" ? 1f : 0f) + (float)(rng.NextDouble() - 0.5);
            }
        int size = Tensor.ComputeLength(inputShape);
        for (int b = 0; b < statisticsBatches; b++)
        {
            // Shifted and scaled away from N(0, 1), so the running mean and variance are far from 0 and 1.
            var x = Inputs(16, size, seed: 100 + b).Select(v => 3f * v + 1f).ToArray();
            net.Forward(new Tensor(x, [16, .. inputShape]), training: true);
        }
        var labels = task == PredictionKind.Regression ? null : Enumerable.Range(0, Math.Max(net.OutputSize, 2)).Select(i => $"class{i}").ToArray();
        return new TestNet(net, task, labels);
    }

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

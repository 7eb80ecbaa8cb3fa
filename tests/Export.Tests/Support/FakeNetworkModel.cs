using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Tensors;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Trainers.Models;

namespace DlBook.Export.Tests.Support;

/// <summary>
/// A network built from LayerSpecs and generated weights, with a plain reference forward pass
/// (double accumulation) standing in for the engine: what the exported ONNX graph must reproduce.
/// </summary>
internal sealed class FakeNetworkModel : INetworkModel
{
    private readonly Dictionary<(string, string), Tensor> _params = new();

    public FakeNetworkModel(int[] inputShape, IReadOnlyList<LayerSpec> layers, Activation output, string task, IReadOnlyList<string>? labels)
    {
        InputShape = inputShape;
        Layers = layers;
        OutputActivation = output;
        Task = task;
        LabelNames = labels;
    }

    public void Set(string layer, string name, Tensor value) => _params[(layer, name)] = value;

    public string Kind => "FakeNetwork";
    public string Task { get; }
    public string FeatureColumnName { get; init; } = "Features";
    public int[] InputShape { get; }
    public IReadOnlyList<LayerSpec> Layers { get; }
    public Activation OutputActivation { get; }
    public IReadOnlyList<string>? LabelNames { get; }
    public string ScoreColumnName => "Score";
    public string? PredictedLabelColumnName => Task == "Regression" ? null : "PredictedLabel";

    public Tensor GetParameter(string layerName, string parameterName) =>
        _params.TryGetValue((layerName, parameterName), out var t) ? t : throw new KeyNotFoundException($"{layerName}.{parameterName}");

    public Tensor Predict(Tensor input)
    {
        int rows = input.Rows;
        var x = Enumerable.Range(0, rows).Select(r => input.Row(r).ToArray().Select(v => (double)v).ToArray()).ToArray();
        foreach (var l in Layers) x = x.Select(row => Forward(l, row)).ToArray();
        x = x.Select(row => Activate(OutputActivation, row, null)).ToArray();
        var result = new Tensor(rows, x[0].Length);
        for (int r = 0; r < rows; r++) for (int j = 0; j < x[r].Length; j++) result.Row(r)[j] = (float)x[r][j];
        return result;
    }

    private double[] Forward(LayerSpec l, double[] x)
    {
        switch (l.Kind)
        {
            case LayerKinds.Dense:
                var w = GetParameter(l.Name, "W");
                var b = GetParameter(l.Name, "b");
                int o = w.Dim(0), n = w.Dim(1);
                var y = new double[o];
                for (int i = 0; i < o; i++)
                {
                    double s = b.Span[i];
                    for (int j = 0; j < n; j++) s += w.Span[i * n + j] * x[j];
                    y[i] = s;
                }
                return y;
            case LayerKinds.Activation:
                return Activate(Enum.Parse<Activation>(l.GetString("activation"), true), x, l.Has("alpha") ? l.GetFloat("alpha") : null);
            case LayerKinds.Dropout:
                return x;
            case LayerKinds.BatchNorm1d:
                var g = GetParameter(l.Name, "gamma").Span;
                var be = GetParameter(l.Name, "beta").Span;
                var m = GetParameter(l.Name, "runningMean").Span;
                var v = GetParameter(l.Name, "runningVar").Span;
                double eps = l.GetFloat("epsilon", 1e-5f);
                var z = new double[x.Length];
                for (int i = 0; i < x.Length; i++) z[i] = g[i] * (x[i] - m[i]) / Math.Sqrt(v[i] + eps) + be[i];
                return z;
            case "Flatten":
                return x;
            default:
                throw new NotSupportedException(l.Kind);
        }
    }

    internal static double[] Activate(Activation a, double[] x, float? alpha)
    {
        switch (a)
        {
            case Activation.Identity: return x;
            case Activation.Sigmoid: return x.Select(v => 1 / (1 + Math.Exp(-v))).ToArray();
            case Activation.Tanh: return x.Select(Math.Tanh).ToArray();
            case Activation.Relu: return x.Select(v => Math.Max(0, v)).ToArray();
            case Activation.LeakyRelu: return x.Select(v => v > 0 ? v : (alpha ?? 0.01f) * v).ToArray();
            case Activation.Elu: return x.Select(v => v > 0 ? v : (alpha ?? 1f) * (Math.Exp(v) - 1)).ToArray();
            case Activation.Softmax:
            case Activation.LogSoftmax:
                double max = x.Max();
                double sum = x.Sum(v => Math.Exp(v - max));
                return a == Activation.Softmax ? x.Select(v => Math.Exp(v - max) / sum).ToArray() : x.Select(v => v - max - Math.Log(sum)).ToArray();
            default: throw new NotSupportedException(a.ToString());
        }
    }

    public void Save(TransformerSaveContext context) => throw new NotSupportedException();
    public DataSchema GetOutputSchema(DataSchema inputSchema) =>
        inputSchema.With(new DataColumn("Score", new VectorType([Layers[^1].OutputShape.Aggregate(1, (p, q) => p * q)])));
    public IDataView Transform(IDataView input) => throw new NotSupportedException();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Networks;
using DlBook.Engine.Tensors;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Trainers.Models;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Reports;
using DlBook.Trainers.Training;

namespace DlBook.Trainers.Mlp;

/// <summary>
/// A trained multi-layer perceptron as a pipeline step. <see cref="Transform"/> adds <c>Score</c>
/// (class probabilities; P(positive) for binary; the value for regression) and <c>PredictedLabel</c>
/// (a Key with the label names), computed lazily per batch.
/// </summary>
public sealed class MlpModel : INetworkModel, ITrainingSummary
{
    /// <summary>The registry kind.</summary>
    public const string KindName = "Mlp";

    private readonly Sequential _network;
    private readonly NetworkModelColumns _columns;
    private readonly object _predictLock = new();
    private readonly JsonObject? _trainingInfo;

    internal MlpModel(Sequential network, NetworkModelColumns columns, string lossName, string labelColumnName,
        TrainingHistory? history, JsonObject? trainingInfo)
    {
        _network = network;
        _columns = columns;
        LossName = lossName;
        LabelColumnName = labelColumnName;
        History = history;
        _trainingInfo = trainingInfo;
    }

    /// <inheritdoc />
    public string Kind => KindName;
    /// <inheritdoc />
    public string Task => _columns.Task;
    /// <inheritdoc />
    public string FeatureColumnName => _columns.Feature;
    /// <summary>The label column the model was trained on.</summary>
    public string LabelColumnName { get; }
    /// <inheritdoc />
    public int[] InputShape => (int[])_columns.InputShape.Clone();
    /// <inheritdoc />
    public IReadOnlyList<LayerSpec> Layers => _network.Specs;
    /// <inheritdoc />
    public Activation OutputActivation => _network.OutputActivation;
    /// <inheritdoc />
    public IReadOnlyList<string>? LabelNames => _columns.LabelNames;
    /// <inheritdoc />
    public string ScoreColumnName => _columns.Score;
    /// <inheritdoc />
    public string? PredictedLabelColumnName => _columns.PredictedLabel;
    /// <summary>The cost the network was trained with ("CrossEntropy", …).</summary>
    public string LossName { get; }
    /// <summary>Per-epoch training record (null for a model loaded from a package).</summary>
    public TrainingHistory? History { get; }

    /// <inheritdoc />
    public Tensor GetParameter(string layerName, string parameterName)
    {
        var layer = _network.Layer(layerName);
        return layer.Parameters.FirstOrDefault(p => p.Name == parameterName)?.Value
            ?? throw new KeyNotFoundException($"Layer '{layerName}' has no parameter '{parameterName}'. It has: {string.Join(", ", layer.Parameters.Select(p => p.Name))}.");
    }

    /// <inheritdoc />
    public Tensor Predict(Tensor input)
    {
        // The network reuses its buffers, so concurrent callers take turns and get their own copy.
        lock (_predictLock) return _network.Predict(input).Clone();
    }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema) => _columns.OutputSchema(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => new ScoringDataView(input, _columns, x =>
    {
        lock (_predictLock) return _network.Predict(x).Span.ToArray();
    });

    /// <inheritdoc />
    public JsonObject? DescribeTraining() => _trainingInfo?.DeepClone().AsObject();

    /// <inheritdoc />
    public void Save(TransformerSaveContext context)
    {
        var s = context.Settings;
        s["task"] = Task;
        s["featureColumn"] = _columns.Feature;
        s["labelColumn"] = LabelColumnName;
        s["scoreColumn"] = _columns.Score;
        s["predictedLabelColumn"] = _columns.PredictedLabel;
        s["inputShape"] = JsonSerializer.SerializeToNode(_columns.InputShape);
        s["outputs"] = _columns.Outputs;
        s["outputActivation"] = OutputActivation.ToString();
        s["loss"] = LossName;
        s["labelNames"] = _columns.LabelNames is null ? null : JsonSerializer.SerializeToNode(_columns.LabelNames);
        s["layers"] = JsonSerializer.SerializeToNode(_network.Specs);
        foreach (var layer in _network.Layers)
            foreach (var p in layer.Parameters)
                context.Tensors[$"{layer.Spec.Name}.{p.Name}"] = (p.Value.Span.ToArray(), p.Value.ShapeArray);
    }

    /// <summary>Rebuilds a model from a package (registered as kind "Mlp").</summary>
    public static MlpModel Load(TransformerLoadContext context)
    {
        var s = context.Settings;
        string Str(string key) => s[key]?.GetValue<string>() ?? throw new InvalidDataException($"{context.Source}: setting '{key}' is missing.");
        var inputShape = s["inputShape"].Deserialize<int[]>() ?? throw new InvalidDataException($"{context.Source}: setting 'inputShape' is missing.");
        var specs = s["layers"].Deserialize<List<LayerSpec>>() ?? throw new InvalidDataException($"{context.Source}: setting 'layers' is missing.");
        if (!Enum.TryParse<Activation>(Str("outputActivation"), out var activation))
            throw new InvalidDataException($"{context.Source}: unknown output activation '{Str("outputActivation")}'.");
        var network = new Sequential(specs, inputShape, activation, rng: null);
        foreach (var layer in network.Layers)
            foreach (var p in layer.Parameters)
            {
                string name = $"{layer.Spec.Name}.{p.Name}";
                var (values, _) = context.Tensor(name);
                if (values.Length != p.Value.Length)
                    throw new InvalidDataException($"{context.Source}: tensor '{name}' has {values.Length} values; layer '{layer.Spec.Name}' needs {p.Value.ShapeString} = {p.Value.Length}.");
                values.AsSpan().CopyTo(p.Value.Span);
            }
        var columns = new NetworkModelColumns(Str("task"), Str("featureColumn"), inputShape, Str("scoreColumn"),
            s["predictedLabelColumn"]?.GetValue<string>(), network.OutputSize, s["labelNames"].Deserialize<string[]>());
        return new MlpModel(network, columns, Str("loss"), Str("labelColumn"), history: null, trainingInfo: null);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Engine.Schedules;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Trainers.Diagnostics;
using DlBook.Trainers.Models;
using DlBook.Trainers.Reports;
using DlBook.Trainers.Training;
using DlBook.Trainers.Training.Adapters;
using DlBook.Trainers.Training.Callbacks;

namespace DlBook.Trainers.Mlp;

/// <summary>
/// Trains a multi-layer perceptron (<c>ctx.Trainers.Mlp(options)</c>): builds the network from
/// <see cref="MlpOptions"/> and runs the one training loop on the feature and label columns.
/// </summary>
public sealed class MlpTrainer : IEstimator<MlpModel>
{
    private const string Source = "Mlp";
    private static readonly JsonSerializerOptions OptionsJson = new() { Converters = { new JsonStringEnumConverter() } };
    private readonly DlContext _context;

    /// <summary>Creates the trainer.</summary>
    public MlpTrainer(DlContext context, MlpOptions options)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The options (read when <see cref="Fit"/> runs).</summary>
    public MlpOptions Options { get; }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema) => Columns(inputSchema, fitting: false).OutputSchema(inputSchema);

    /// <inheritdoc />
    public MlpModel Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = Options;
        if (!(float.IsFinite(o.LearningRate) && o.LearningRate >= 0))
            throw new ArgumentOutOfRangeException(nameof(o.LearningRate), o.LearningRate, $"LearningRate must be a finite number ≥ 0 (got {o.LearningRate}); the book uses 0.1.");
        if (!(float.IsFinite(o.L2) && o.L2 >= 0))
            throw new ArgumentOutOfRangeException(nameof(o.L2), o.L2, $"L2 must be a finite number ≥ 0 (got {o.L2}); the book uses 5.0, 0 turns it off.");
        var columns = Columns(input.Schema, fitting: true);
        var loss = LossFactory.Create(LossName(o));
        if (columns.Outputs == 1 && loss.OutputActivation == Engine.Activations.Activation.Softmax)
            throw new ArgumentException($"Cost '{o.Cost}' needs several outputs; a {o.Task} MLP has one. Use \"CrossEntropy\".");
        ulong seed = o.Seed is int s ? (ulong)s : _context.NextSeed();
        var specs = NetworkBuilder.Mlp(columns.InputSize, o.HiddenLayers, columns.Outputs, o.Activation, o.Initializer, o.BiasInitializer, o.Dropout, o.BatchNorm);
        var network = new Sequential(specs, columns.InputShape, loss.OutputActivation, new Rng(seed));
        IBatchAdapter adapter = columns.Task == MlpTasks.Multiclass
            ? new OneHotKeyAdapter(columns.Feature, o.LabelColumnName, columns.InputShape, columns.Outputs)
            : new ScalarTargetAdapter(columns.Feature, o.LabelColumnName, columns.InputShape, binary: columns.Task == MlpTasks.Binary);
        long rows = input.RowCount ?? CountRows(input, o.LabelColumnName);

        string? report = o.ReportDirectory ?? (o.CheckpointPath is { } cp ? Path.GetDirectoryName(Path.GetFullPath(cp)) : null);
        var callbacks = new List<ITrainingCallback>();
        if (o.ValidationSet is { } validation)
        {
            CheckValidationColumns(columns, Columns(validation.Schema, fitting: true));
            callbacks.Add(new ValidationCallback(validation));
        }
        if (o.MonitorGradients) callbacks.Add(new GradientMonitor(input, o.GradientMonitorSamples, report));
        var monitor = o.ValidationSet is null ? MonitoredMetric.TrainLoss : MonitoredMetric.ValidationAccuracy;
        if (o.EarlyStoppingPatience is int patience)
            callbacks.Add(new EarlyStoppingCallback(patience, monitor, o.EarlyStoppingMinDelta, o.RestoreBestWeights));
        MlpModel Snapshot(TrainingHistory? history) => new(network, columns, loss.Name, o.LabelColumnName, history, TrainingInfo(o, seed, rows, history));
        if (o.CheckpointPath is { } path)
            callbacks.Add(new CheckpointCallback(path, () => Snapshot(null), input.Schema, bestOnly: o.ValidationSet is not null, monitor));
        callbacks.Add(new ProgressCallback(o.Progress));

        _context.WriteLog(LogLevel.Info, Source, $"Training [{columns.InputSize},{string.Join(",", o.HiddenLayers)},{columns.Outputs}] " +
            $"({o.Activation}, {loss.Name}, {o.Initializer}) on {rows:N0} rows: {o.Epochs} epochs, mini-batch {o.BatchSize}, η={o.LearningRate}, λ={o.L2}, {o.Optimizer}, seed {seed}.");
        var history = TrainingLoop.Run(new TrainingSetup
        {
            Network = network,
            Loss = loss,
            Optimizer = OptimizerFactory.Create(o.Optimizer, o.Momentum, o.Beta1, o.Beta2, epsilon: o.Epsilon,
                weightDecay: o.Optimizer.Equals("AdamW", StringComparison.OrdinalIgnoreCase) ? o.WeightDecay : null),
            Schedule = ScheduleFactory.Create(o.LearningRateSchedule, o.DecayRate, o.StepSize, o.Gamma, o.MinLearningRate),
            LearningRate = o.LearningRate,
            L2PerSample = o.L2 / rows,
            ClipNorm = o.GradientClipNorm,
            ClipValue = o.GradientClipValue,
            Epochs = o.Epochs,
            BatchSize = o.BatchSize,
            Seed = seed,
            Data = input,
            Adapter = adapter,
            Callbacks = callbacks,
            Context = _context,
            Source = Source,
            Cancellation = o.Cancellation,
        });
        if (report is not null)
        {
            Directory.CreateDirectory(report);
            TrainingReport.WriteHistory(history, report);
        }
        return Snapshot(history);
    }

    // Before the steps ahead of the trainer are fitted, a Key label may not know its class count yet (0).
    private NetworkModelColumns Columns(DataSchema schema, bool fitting)
    {
        var o = Options;
        if (o.HiddenLayers is null || o.HiddenLayers.Any(h => h < 1))
            throw new ArgumentException("HiddenLayers must list positive sizes, e.g. [30] or [30, 30].");
        var feature = schema.GetColumnOrNull(o.FeatureColumnName)
            ?? throw new SchemaException($"The MLP reads feature column '{o.FeatureColumnName}', which the data does not have. Available: {string.Join(", ", schema.Select(c => c.Name))}. Set FeatureColumnName or use Concatenate to build it.");
        if (feature.Type is not VectorType vector)
            throw new SchemaException($"Feature column '{o.FeatureColumnName}' is {feature.Type.Describe()}; the MLP needs a float vector (Vector<Single>). Use Concatenate to build one.");
        var label = schema.GetColumnOrNull(o.LabelColumnName)
            ?? throw new SchemaException($"The MLP reads label column '{o.LabelColumnName}', which the data does not have. Available: {string.Join(", ", schema.Select(c => c.Name))}. Set LabelColumnName.");
        switch (o.Task)
        {
            case MlpTasks.Multiclass:
                if (label.Type is not KeyType key)
                    throw new SchemaException($"Label column '{o.LabelColumnName}' is {label.Type.Describe()}, but a multiclass MLP needs a Key label. " +
                        $"Add ctx.Transforms.Conversion.MapValueToKey(\"{o.LabelColumnName}\") before the trainer.");
                if (key.Count < 2 && (fitting || key.Count != 0)) throw new SchemaException($"Label column '{o.LabelColumnName}' has {key.Count} class(es); classification needs at least 2.");
                return new NetworkModelColumns(o.Task, o.FeatureColumnName, vector.Shape, o.ScoreColumnName, o.PredictedLabelColumnName, key.Count, key.LabelNames);
            case MlpTasks.Binary:
                // Before the steps ahead are fitted a Key label may not know its class count yet (0).
                if (label.Type is not (ScalarType or KeyType { Count: 2 }) && (fitting || label.Type is not KeyType { Count: 0 }))
                    throw new SchemaException($"Label column '{o.LabelColumnName}' is {label.Type.Describe()}; binary classification needs a 0/1 scalar or a two-class Key.");
                return new NetworkModelColumns(o.Task, o.FeatureColumnName, vector.Shape, o.ScoreColumnName, o.PredictedLabelColumnName, 1,
                    (label.Type as KeyType)?.LabelNames);
            case MlpTasks.Regression:
                if (label.Type is not ScalarType)
                    throw new SchemaException($"Label column '{o.LabelColumnName}' is {label.Type.Describe()}; regression needs a scalar float label.");
                return new NetworkModelColumns(o.Task, o.FeatureColumnName, vector.Shape, o.ScoreColumnName, null, 1, null);
            default:
                throw new ArgumentException($"Unknown task '{o.Task}'. Use {MlpTasks.Multiclass}, {MlpTasks.Binary} or {MlpTasks.Regression}.");
        }
    }

    // Regression has one linear output: the default cost and "Quadratic" both mean least squares on it (a sigmoid would cap predictions at 1).
    private static string LossName(MlpOptions o) =>
        o.Task == MlpTasks.Regression && (o.Cost.Equals("CrossEntropy", StringComparison.OrdinalIgnoreCase) || o.Cost.Equals("Quadratic", StringComparison.OrdinalIgnoreCase))
            ? "QuadraticIdentity" : o.Cost;

    // The validation set is read with the training set's adapter, so it must have the same input size and classes;
    // checked here so a mismatch fails before training rather than after the first epoch (or, for classes, silently).
    private void CheckValidationColumns(NetworkModelColumns train, NetworkModelColumns validation)
    {
        var o = Options;
        if (validation.InputSize != train.InputSize)
            throw new SchemaException($"The validation set's feature column '{o.FeatureColumnName}' has {validation.InputSize} values per row " +
                $"(shape [{string.Join(",", validation.InputShape)}]); the training data has {train.InputSize} ([{string.Join(",", train.InputShape)}]). " +
                "Prepare the validation set with the same transforms as the training data.");
        if (train.Task == MlpTasks.Multiclass && validation.Outputs != train.Outputs)
            throw new SchemaException($"The validation set's label column '{o.LabelColumnName}' has {validation.Outputs} classes; the training data has {train.Outputs}. " +
                "Map both with the same fitted MapValueToKey.");
        if (train.LabelNames is { } names && validation.LabelNames is { } other && !names.SequenceEqual(other))
            throw new SchemaException($"The validation set's label column '{o.LabelColumnName}' maps keys to other names ({string.Join(", ", other.Take(10))}) " +
                $"than the training data ({string.Join(", ", names.Take(10))}). Map both with the same fitted MapValueToKey.");
    }

    private static long CountRows(IDataView data, string column)
    {
        long n = 0;
        foreach (var b in data.GetBatches(new BatchOptions { BatchSize = 8192, Columns = [column] })) n += b.RowCount;
        return n;
    }

    private static JsonObject TrainingInfo(MlpOptions o, ulong seed, long rows, TrainingHistory? history)
    {
        var info = new JsonObject
        {
            ["trainer"] = "Mlp",
            ["options"] = JsonSerializer.SerializeToNode(o, OptionsJson),
            ["seed"] = seed,
            ["trainingRows"] = rows,
        };
        if (history is null) return info;
        info["history"] = TrainingReport.HistoryToJson(history);
        if (history.Last is { } last)
            info["metrics"] = new JsonObject
            {
                ["epochs"] = history.Epochs.Count,
                ["trainLoss"] = last.TrainLoss,
                ["trainAccuracy"] = double.IsFinite(last.TrainAccuracy) ? last.TrainAccuracy : null,
                ["validationAccuracy"] = last.ValidationAccuracy is double va && double.IsFinite(va) ? va : null,
                ["validationLoss"] = last.ValidationLoss,
            };
        return info;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Engine.Schedules;
using DlBook.Pipelines.Bridge;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.MlNet;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Training.Callbacks;
using DlBook.Trainers.Networks;
using DlBook.Trainers.Reports;
using DlBook.Trainers.Training;
using DlBook.Trainers.Training.Adapters;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace DlBook.Trainers.Mlp;

/// <summary>
/// Trains a multi-layer perceptron as an ML.NET estimator — <c>mlContext.MulticlassClassification.Trainers.Mlp(options)</c>,
/// and the same on <c>BinaryClassification</c> and <c>Regression</c>. <see cref="Fit"/> reads the feature and label
/// columns once into engine-owned memory, builds the network from <see cref="MlpOptions"/> and runs the one training
/// loop; the result is a <see cref="NetworkTransformer"/> that adds the columns ML.NET's trainers of the task add.
/// </summary>
public sealed class MlpTrainer : IEstimator<NetworkTransformer>
{
    private static readonly JsonSerializerOptions OptionsJson = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
    private readonly IHostEnvironment _env;

    internal MlpTrainer(IHostEnvironment env, PredictionKind task, MlpOptions options)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        Task = task;
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The task, set by the catalog the trainer came from.</summary>
    public PredictionKind Task { get; }

    /// <summary>The options (read when <see cref="Fit"/> runs).</summary>
    public MlpOptions Options { get; }

    private BridgeColumns Columns => new(Options.FeatureColumnName, Options.LabelColumnName, Task switch
    {
        PredictionKind.MulticlassClassification => LabelKind.Key,
        PredictionKind.BinaryClassification => LabelKind.Binary,
        _ => LabelKind.Single,
    }, $"The {Task} MLP");

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.Shape(inputSchema, Columns);
        // The label's KeyValues reach PredictedLabel (MapKeyToValue after the trainer checks for them before anything is fitted).
        LabelValues? labels = null;
        foreach (var c in inputSchema)
            if (c.Name == Options.LabelColumnName && c.IsKey)
                foreach (var a in c.Annotations)
                    if (a.Name == AnnotationKinds.KeyValues) labels = LabelValues.Placeholder(a.ItemType);
        var added = MlNetInternals.ShapeOf(new ScoreColumns(Task, 2, labels).AddedColumns());
        var names = added.Select(c => c.Name).ToHashSet();
        return new SchemaShape(inputSchema.Where(c => !names.Contains(c.Name)).Concat(added));
    }

    /// <inheritdoc />
    public NetworkTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = Options;
        Validate(o);
        _env.ComponentCatalog.RegisterDlBook();   // so Model.Load of this context reads what it trains
        var host = _env.Register("Mlp");
        using var channel = host.Start("Training");
        var log = new TrainingLog(channel);
        var columns = Columns;
        using var rows = TrainingRows.Open(input, columns, o.MemoryBudgetBytes);
        if (rows.Rows == 0)
            throw new InvalidDataException($"{columns.Reader} has no rows to train on{(rows.Skipped > 0 ? $": all {rows.Skipped:N0} rows have a missing label or a NaN feature" : "")}. Check the data (file, split, filters).");
        if (rows.Skipped > 0) log.Write(LogLevel.Warning, $"Skipped {rows.Skipped:N0} training rows with a missing label or a NaN feature (as ML.NET's trainers do).");
        int outputs = Task == PredictionKind.MulticlassClassification ? rows.Classes : 1;
        var labelColumn = input.Schema[o.LabelColumnName];
        var labels = labelColumn.Type is KeyDataViewType ? LabelValues.FromColumn(labelColumn) : null;
        var scores = new ScoreColumns(Task, Task == PredictionKind.MulticlassClassification ? outputs : 2, labels);

        string lossName = Task == PredictionKind.Regression ? "QuadraticIdentity" : o.Cost.ToString();
        var loss = LossFactory.Create(lossName);
        if (outputs == 1 && loss.OutputActivation == Engine.Activations.Activation.Softmax)
            throw new ArgumentException($"Cost {o.Cost} needs several outputs; a {Task} MLP has one. Use Cost.CrossEntropy.", nameof(o.Cost));
        ulong seed = o.Seed is int s ? (ulong)s : (ulong)(uint)host.Rand.Next() | ((ulong)(uint)host.Rand.Next() << 32);
        int inputSize = rows.FeatureShape.Aggregate(1, (a, b) => a * b);
        var specs = NetworkBuilder.Mlp(inputSize, o.HiddenLayers, outputs, o.Activation, o.Initializer.ToString(), o.BiasInitializer.ToString(), o.Dropout, o.BatchNorm);
        var network = new Sequential(specs, [inputSize], loss.OutputActivation, new Rng(seed));
        IBatchAdapter adapter = Task == PredictionKind.MulticlassClassification
            ? new OneHotKeyAdapter([inputSize], outputs)
            : new ScalarTargetAdapter([inputSize], binary: Task == PredictionKind.BinaryClassification);

        string? report = o.ReportDirectory ?? (o.CheckpointPath is { } cp ? Path.GetDirectoryName(Path.GetFullPath(cp)) : null);
        var callbacks = new List<ITrainingCallback>();
        using var validation = o.ValidationSet is { } v ? TrainingRows.Open(v, columns with { Reader = $"{columns.Reader}'s validation set" }, o.MemoryBudgetBytes) : null;
        if (o.ValidationSet is { } validationView && validation is not null)
        {
            CheckValidation(rows, validation, labels, validationView);
            callbacks.Add(new ValidationCallback(validation));
        }
        if (o.MonitorGradients) callbacks.Add(new GradientMonitorCallback(rows, o.GradientMonitorSamples, report));
        var monitor = o.ValidationSet is null ? MonitoredMetric.TrainLoss : MonitoredMetric.ValidationAccuracy;
        if (o.EarlyStoppingPatience is int patience)
            callbacks.Add(new EarlyStoppingCallback(patience, monitor, o.EarlyStoppingMinDelta, o.RestoreBestWeights));
        NetworkTransformer Snapshot(TrainingHistory? history) => new(TrainerKind.Mlp, new NetworkModelParameters(network, loss.Name),
            o.FeatureColumnName, rows.FeatureShape, o.LabelColumnName, scores, history, TrainingInfo(o, seed, rows.Rows, history));
        if (o.CheckpointPath is { } path)
            callbacks.Add(new CheckpointCallback(path, () => Snapshot(null), input.Schema, bestOnly: o.ValidationSet is not null, monitor));
        callbacks.Add(new ProgressCallback(o.Progress));

        log.Write(LogLevel.Info, $"Training [{inputSize},{string.Join(",", o.HiddenLayers)},{outputs}] ({o.Activation}, {loss.Name}, {o.Initializer}) " +
            $"on {rows.Rows:N0} rows{(rows.InMemory ? (rows.Table!.FeaturesAsBytes ? " held in memory as bytes" : " held in memory") : $" streamed in chunks of {rows.ChunkRows:N0}")}: " +
            $"{o.Epochs} epoch{(o.Epochs == 1 ? "" : "s")}, mini-batch {o.BatchSize}, η={o.LearningRate}, λ={o.L2}, {o.Optimizer}, seed {seed}.");
        var history = TrainingLoop.Run(new TrainingSetup
        {
            Network = network,
            Loss = loss,
            Optimizer = OptimizerFactory.Create(o.Optimizer.ToString(), o.Momentum, o.Beta1, o.Beta2, epsilon: o.Epsilon,
                weightDecay: o.Optimizer == OptimizerKind.AdamW ? o.WeightDecay : null),
            Schedule = ScheduleFactory.Create(o.LearningRateSchedule.ToString(), o.DecayRate, o.StepSize, o.Gamma, o.MinLearningRate),
            LearningRate = o.LearningRate,
            L2PerSample = o.L2 / rows.Rows,
            ClipNorm = o.GradientClipNorm,
            ClipValue = o.GradientClipValue,
            Epochs = o.Epochs,
            BatchSize = o.BatchSize,
            Seed = seed,
            Data = rows,
            Adapter = adapter,
            Callbacks = callbacks,
            Log = log,
            Source = "Mlp",
            Cancellation = o.Cancellation,
            IsCanceled = MlNetInternals.CancellationProbe(_env),
        });
        if (report is not null)
        {
            Directory.CreateDirectory(report);
            TrainingReport.WriteHistory(history, report);
        }
        return Snapshot(history);
    }

    private static void Validate(MlpOptions o)
    {
        if (o.HiddenLayers is null || o.HiddenLayers.Any(h => h < 1))
            throw new ArgumentException("HiddenLayers must list positive sizes, e.g. [30] or [30, 30] ([] for none).", nameof(o.HiddenLayers));
        if (!(float.IsFinite(o.LearningRate) && o.LearningRate >= 0))
            throw new ArgumentOutOfRangeException(nameof(o.LearningRate), o.LearningRate, $"LearningRate must be a finite number ≥ 0 (got {o.LearningRate}); the book uses 0.1.");
        if (!(float.IsFinite(o.L2) && o.L2 >= 0))
            throw new ArgumentOutOfRangeException(nameof(o.L2), o.L2, $"L2 must be a finite number ≥ 0 (got {o.L2}); the book uses 5.0, 0 turns it off.");
        if (o.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(o.Epochs), o.Epochs, $"Epochs must be at least 1 (got {o.Epochs}).");
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(o.BatchSize), o.BatchSize, $"BatchSize must be at least 1 (got {o.BatchSize}).");
        if (!(o.Dropout >= 0 && o.Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(o.Dropout), o.Dropout, $"Dropout must be in [0, 1) (got {o.Dropout}).");
        if (o.GradientClipNorm is float n && !(float.IsFinite(n) && n > 0))
            throw new ArgumentOutOfRangeException(nameof(o.GradientClipNorm), n, $"GradientClipNorm must be a positive number (got {n}).");
        if (o.GradientClipValue is float v && !(float.IsFinite(v) && v > 0))
            throw new ArgumentOutOfRangeException(nameof(o.GradientClipValue), v, $"GradientClipValue must be a positive number (got {v}).");
        if (Engine.Activations.ActivationFunctions.IsRowWise(o.Activation))
            throw new ArgumentException($"{o.Activation} is an output activation, not a hidden one; use Sigmoid, Tanh, ReLU, …", nameof(o.Activation));
    }

    // The validation set is read as the training set is, so it must have the same input size and classes; checked here
    // so a mismatch fails before training rather than after the first epoch (or, for classes, silently).
    private void CheckValidation(TrainingRows train, TrainingRows validation, LabelValues? labels, IDataView validationView)
    {
        var o = Options;
        if (!validation.FeatureShape.SequenceEqual(train.FeatureShape))
            throw new SchemaException($"The validation set's feature column '{o.FeatureColumnName}' has shape [{string.Join(",", validation.FeatureShape)}]; " +
                $"the training data has [{string.Join(",", train.FeatureShape)}]. Prepare the validation set with the same fitted transforms as the training data.");
        if (Task == PredictionKind.MulticlassClassification && validation.Classes != train.Classes)
            throw new SchemaException($"The validation set's label column '{o.LabelColumnName}' has {validation.Classes} classes; the training data has {train.Classes}. " +
                "Map both with the same fitted MapValueToKey.");
        var other = validationView.Schema[o.LabelColumnName] is { Type: KeyDataViewType } c ? LabelValues.FromColumn(c) : null;
        if (labels is not null && other is not null && !labels.Values.SequenceEqual(other.Values))
            throw new SchemaException($"The validation set's label column '{o.LabelColumnName}' maps keys to other values ({string.Join(", ", other.Values.Take(10))}) " +
                $"than the training data ({string.Join(", ", labels.Values.Take(10))}). Map both with the same fitted MapValueToKey.");
    }

    private JsonObject TrainingInfo(MlpOptions o, ulong seed, long rows, TrainingHistory? history)
    {
        var info = new JsonObject
        {
            ["trainer"] = "Mlp",
            ["task"] = Task.ToString(),
            ["options"] = JsonSerializer.SerializeToNode(o, OptionsJson),
            ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["trainingRows"] = rows,
        };
        if (history?.Last is { } last)
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

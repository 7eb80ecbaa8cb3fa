using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DlBook.Engine.Layers;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Engine.Schedules;
using DlBook.Pipelines.Bridge;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.MlNet;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Options;
using DlBook.Trainers.Reports;
using DlBook.Trainers.Training;
using DlBook.Trainers.Training.Adapters;
using DlBook.Trainers.Training.Callbacks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace DlBook.Trainers.Networks;

/// <summary>The network a trainer builds for the data it was given, and how to name it in the log.</summary>
/// <param name="Layers">The layer specs, in order.</param>
/// <param name="InputShape">The shape of one sample, as the first layer reads it.</param>
/// <param name="Description">One line for the log, e.g. "[784,30,10] (Sigmoid, CrossEntropy, Normal1OverFanIn)".</param>
public sealed record NetworkDesign(IReadOnlyList<LayerSpec> Layers, int[] InputShape, string Description);

/// <summary>
/// The one ML.NET estimator behind every network trainer (MLP, CNN, recurrent): <see cref="Fit"/> reads the feature
/// and label columns once into engine-owned memory, lets the trainer design the network for their shape, runs the one
/// training loop with the common options (validation, gradient monitor, early stopping, checkpoints, progress,
/// cancellation, reports) and returns a <see cref="NetworkTransformer"/> adding the columns ML.NET's trainers of the
/// task add. A trainer supplies only its network, its cost and the checks of its own options.
/// </summary>
/// <typeparam name="TOptions">The trainer's options.</typeparam>
public abstract class NetworkTrainer<TOptions> : IEstimator<NetworkTransformer> where TOptions : NetworkTrainerOptions
{
    private static readonly JsonSerializerOptions OptionsJson = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
    private readonly IHostEnvironment _env;

    private protected NetworkTrainer(IHostEnvironment env, PredictionKind task, TOptions options)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        Task = task;
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The task, set by the catalog the trainer came from.</summary>
    public PredictionKind Task { get; }

    /// <summary>The options (read when <see cref="Fit"/> runs).</summary>
    public TOptions Options { get; }

    /// <summary>The trainer, as the model file records it.</summary>
    private protected abstract TrainerKind Kind { get; }

    /// <summary>The network for samples of <paramref name="featureShape"/> and <paramref name="outputs"/> outputs.</summary>
    private protected abstract NetworkDesign Design(int[] featureShape, int outputs, ILoss loss);

    /// <summary>The cost the network is trained on (regression: always the quadratic cost on a linear output).</summary>
    private protected abstract string LossName();

    /// <summary>Random transformations of each training batch (images), or null.</summary>
    private protected virtual Engine.Augmentation.ImageAugmentation? Augmentation => null;

    /// <summary>Checks the trainer's own options (the common ones are checked before it).</summary>
    private protected virtual void ValidateOwnOptions() { }

    private BridgeColumns Columns => new(Options.FeatureColumnName, Options.LabelColumnName, Task switch
    {
        PredictionKind.MulticlassClassification => LabelKind.Key,
        PredictionKind.BinaryClassification => LabelKind.Binary,
        _ => LabelKind.Single,
    }, $"The {Task} {Kind}", SequenceLength);

    /// <summary>Token ids: the feature column is read as this many ids (see <see cref="TokenSequences"/>); null for a feature vector.</summary>
    private protected virtual int? SequenceLength => null;

    /// <summary>Sees the training data's schema before <see cref="Design"/> (e.g. the vocabulary of a key column).</summary>
    private protected virtual void Inspect(DataViewSchema schema) { }

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
        ValidateOwnOptions();
        _env.ComponentCatalog.RegisterDlBook();   // so Model.Load of this context reads what it trains
        var host = _env.Register(Kind.ToString());
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

        var loss = LossFactory.Create(Task == PredictionKind.Regression ? "QuadraticIdentity" : LossName());
        if (outputs == 1 && loss.OutputActivation == Engine.Activations.Activation.Softmax)
            throw new ArgumentException($"Cost {loss.Name} needs several outputs; a {Task} network has one. Use Cost.CrossEntropy.", "Cost");
        ulong seed = o.Seed is int s ? (ulong)s : (ulong)(uint)host.Rand.Next() | ((ulong)(uint)host.Rand.Next() << 32);
        Inspect(input.Schema);
        var design = Design(rows.FeatureShape, outputs, loss);
        var network = new Sequential(design.Layers, design.InputShape, loss.OutputActivation, new Rng(seed));
        IBatchAdapter adapter = Task == PredictionKind.MulticlassClassification
            ? new OneHotKeyAdapter(design.InputShape, outputs)
            : new ScalarTargetAdapter(design.InputShape, binary: Task == PredictionKind.BinaryClassification);

        string? report = o.ReportDirectory ?? (o.CheckpointPath is { } cp ? Path.GetDirectoryName(Path.GetFullPath(cp)) : null);
        string? reportName = o.ReportName ?? (o.CheckpointPath is { } named ? Path.GetFileNameWithoutExtension(named) : null);
        var callbacks = new List<ITrainingCallback>();
        using var validation = o.ValidationSet is { } v ? TrainingRows.Open(v, columns with { Reader = $"{columns.Reader}'s validation set" }, o.MemoryBudgetBytes) : null;
        if (o.ValidationSet is { } validationView && validation is not null)
        {
            CheckValidation(rows, validation, labels, validationView);
            callbacks.Add(new ValidationCallback(validation));
        }
        if (o.MonitorGradients) callbacks.Add(new GradientMonitorCallback(rows, o.GradientMonitorSamples, report, reportName));
        var monitor = o.ValidationSet is null ? MonitoredMetric.TrainLoss : MonitoredMetric.ValidationAccuracy;
        if (o.EarlyStoppingPatience is int patience)
            callbacks.Add(new EarlyStoppingCallback(patience, monitor, o.EarlyStoppingMinDelta, o.RestoreBestWeights));
        NetworkTransformer Snapshot(TrainingHistory? history) => new(Kind, new NetworkModelParameters(network, loss.Name),
            o.FeatureColumnName, rows.FeatureShape, o.LabelColumnName, scores, history, TrainingInfo(seed, rows.Rows, history), SequenceLength);
        if (o.CheckpointPath is { } path)
            callbacks.Add(new CheckpointCallback(path, () => Snapshot(null), input.Schema, bestOnly: o.ValidationSet is not null, monitor));
        callbacks.Add(new ProgressCallback(o.Progress));

        log.Write(LogLevel.Info, $"Training {design.Description} " +
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
            Augmentation = Augmentation,
            Callbacks = callbacks,
            Log = log,
            Source = Kind.ToString(),
            Cancellation = o.Cancellation,
            IsCanceled = MlNetInternals.CancellationProbe(_env),
            StatePath = o.StatePath,
            Resume = o.Resume,
            Fingerprint = Fingerprint(seed, rows, validation, design.Description),
        });
        if (report is not null)
        {
            Directory.CreateDirectory(report);
            TrainingReport.WriteHistory(history, report, reportName);
        }
        return Snapshot(history);
    }

    // What must match for a resumed run to continue the saved one: the options that shape training, the seed actually
    // used, the data's size and shape, and the network.
    private JsonObject Fingerprint(ulong seed, TrainingRows rows, TrainingRows? validation, string network)
    {
        var options = JsonSerializer.SerializeToNode(Options, OptionsJson)!.AsObject();
        foreach (var where in new[] { nameof(NetworkTrainerOptions.CheckpointPath), nameof(NetworkTrainerOptions.ReportDirectory), nameof(NetworkTrainerOptions.ReportName), nameof(NetworkTrainerOptions.Seed) })
            options.Remove(where);
        options["Trainer"] = Kind.ToString();
        options["Task"] = Task.ToString();
        options["Network"] = network;
        options["Seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        options["TrainingRows"] = rows.Rows;
        options["FeatureShape"] = string.Join("×", rows.FeatureShape);
        options["ValidationRows"] = validation?.Rows ?? 0;
        return options;
    }

    private static void Validate(NetworkTrainerOptions o)
    {
        if (o.Resume && o.CheckpointPath is null)
            throw new ArgumentException("Resume needs CheckpointPath: the checkpoint of the run to continue (its training state is CheckpointPath + \".state\").", nameof(o.Resume));
        if (!(float.IsFinite(o.LearningRate) && o.LearningRate >= 0))
            throw new ArgumentOutOfRangeException(nameof(o.LearningRate), o.LearningRate, $"LearningRate must be a finite number ≥ 0 (got {o.LearningRate}); the book uses 0.1.");
        if (!(float.IsFinite(o.L2) && o.L2 >= 0))
            throw new ArgumentOutOfRangeException(nameof(o.L2), o.L2, $"L2 must be a finite number ≥ 0 (got {o.L2}); the book uses 5.0, 0 turns it off.");
        if (o.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(o.Epochs), o.Epochs, $"Epochs must be at least 1 (got {o.Epochs}).");
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(o.BatchSize), o.BatchSize, $"BatchSize must be at least 1 (got {o.BatchSize}).");
        if (o.GradientClipNorm is float n && !(float.IsFinite(n) && n > 0))
            throw new ArgumentOutOfRangeException(nameof(o.GradientClipNorm), n, $"GradientClipNorm must be a positive number (got {n}).");
        if (o.GradientClipValue is float v && !(float.IsFinite(v) && v > 0))
            throw new ArgumentOutOfRangeException(nameof(o.GradientClipValue), v, $"GradientClipValue must be a positive number (got {v}).");
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

    private JsonObject TrainingInfo(ulong seed, long rows, TrainingHistory? history)
    {
        var info = new JsonObject
        {
            ["trainer"] = Kind.ToString(),
            ["task"] = Task.ToString(),
            ["options"] = JsonSerializer.SerializeToNode(Options, OptionsJson),
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

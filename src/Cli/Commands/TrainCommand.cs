using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DlBook.Cli.Output;
using DlBook.Engine.Activations;
using DlBook.Trainers;
using DlBook.Trainers.Mlp;
using DlBook.Trainers.Networks;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Reports;
using DlBook.Trainers.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms;
using Spectre.Console;
using static DlBook.Cli.Commands.OptionRules;

namespace DlBook.Cli.Commands;

/// <summary>dlbook train mlp: the book's MLP (or any MLP) on IDX image data, with every option of <see cref="MlpOptions"/>.</summary>
public static class TrainCommand
{
    /// <summary>The hidden activations --activation accepts (Identity, Softmax and LogSoftmax are output activations).</summary>
    internal static readonly Activation[] HiddenActivations = [Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu, Activation.Elu];

    private static readonly JsonSerializerOptions OptionsJson = new()
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// The network train mlp trains without --preset: the book's (models/book-mlp.json) — [784,30,10], sigmoid,
    /// cross-entropy, N(0,1/n_in) weights, N(0,1) biases, mini-batch 10, η 0.1, λ 5.0, 30 epochs of plain SGD.
    /// (MlpOptions' own default is λ 0, as ML.NET trainers default to no regularisation.)
    /// </summary>
    internal static MlpOptions BookOptions() => new()
    {
        HiddenLayers = [30],
        Activation = Activation.Sigmoid,
        Cost = Cost.CrossEntropy,
        Initializer = Initializer.Normal1OverFanIn,
        BiasInitializer = Initializer.StandardNormal,
        Epochs = 30,
        BatchSize = 10,
        LearningRate = 0.1f,
        L2 = 5.0f,
        Optimizer = OptimizerKind.Sgd,
        LearningRateSchedule = LearningRateSchedule.Constant,
        MonitorGradients = true,
        GradientMonitorSamples = 1000,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var train = new Command("train", "Train a network.");
        var mlp = new Command("mlp", "Train a multilayer perceptron (the book's MNIST network by default: [784,30,10], sigmoid, cross-entropy, N(0,1/n_in), mini-batch 10, η 0.1, λ 5.0, 30 epochs).");
        var data = new DataInput(defaultSplit: "train");
        data.AddTo(mlp, withInput: false);
        var preset = Opt<string?>("--preset", "JSON preset of MlpOptions (e.g. models/book-mlp.json); explicit options override it.");
        var variant = Opt<string?>("--variant", "Named variant of the preset (e.g. 784-30-30-10, large-init).");
        var hidden = Opt<string?>("--hidden", "Hidden layer sizes, comma-separated (e.g. 30 or 30,30); 'none' (or 0) for no hidden layer. Default: 30.");
        hidden.HelpName = "sizes";
        hidden.Validators.Add(r =>
        {
            if (r.Implicit) return;
            var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
            if (TryParseHidden(text, out _) is { } error) r.AddError(error);
        });
        var activation = Choice("--activation", "Hidden activation (book: Sigmoid).", HiddenActivations);
        var cost = Choice("--cost", "Cost: CrossEntropy (sigmoid outputs, the book's), Quadratic, or SoftmaxCrossEntropy.", Enum.GetValues<Cost>());
        var init = Choice("--init", "Weight initialiser (book: Normal1OverFanIn; StandardNormal is the book's 'large').", Enum.GetValues<Initializer>());
        var biasInit = Choice("--bias-init", "Bias initialiser (book: StandardNormal).", Enum.GetValues<Initializer>());
        var epochs = Int("--epochs", "Epochs (book: 30).", min: 1);
        var batch = Int("--batch-size", "Mini-batch size (book: 10).", min: 1);
        var lr = Float("--lr", "Learning rate η (book: 0.1).", 0);
        var l2 = Float("--l2", "L2 regularisation λ, scaled by λ/n as in the book (book and default: 5.0; 0 turns it off).", 0);
        var optimizer = Choice("--optimizer", "Optimiser (book: Sgd).", Enum.GetValues<OptimizerKind>());
        var momentum = Float("--momentum", "Momentum μ for Momentum/Nesterov (default 0.9).", 0, maxExclusive: 1);
        var beta1 = Float("--beta1", "Adam β1 (default 0.9).", 0, maxExclusive: 1);
        var beta2 = Float("--beta2", "Adam β2 (default 0.999).", 0, maxExclusive: 1);
        var weightDecay = Float("--weight-decay", "AdamW decoupled weight decay (default 0.01).", 0);
        var schedule = Choice("--schedule", "Learning-rate schedule (book: Constant).", Enum.GetValues<LearningRateSchedule>());
        var decayRate = Float("--decay-rate", "Per-epoch factor of ExponentialDecay (default 0.98).", 0, minExclusive: true);
        var stepSize = Int("--step-size", "Epochs per step of StepDecay (default 10).", min: 1);
        var gamma = Float("--gamma", "Factor of StepDecay (default 0.1).", 0, minExclusive: true);
        var minLr = Float("--min-lr", "Floor of Cosine (default 0).", 0);
        var clipNorm = Float("--clip-norm", "Clip gradients to this global L2 norm θ.", 0, minExclusive: true);
        var clipValue = Float("--clip-value", "Clip each gradient element to ±value.", 0, minExclusive: true);
        var dropout = Float("--dropout", "Dropout rate after each hidden layer, in [0, 1).", 0, maxExclusive: 1);
        var batchNorm = Bool("--batch-norm", "Batch normalisation after each hidden Dense layer.");
        var patience = Int("--patience", "Early stopping: epochs without validation improvement before stopping (restores the best weights).", min: 1);
        var seed = Int("--seed", "Seed, 0 to 2147483647 (default: the preset's, else 1; printed). The same seed and thread count give bit-identical weights.", min: 0);
        var trainRows = Int("--train-rows", "Training rows: the first N of the data (book: 50,000).", 50_000, min: 1);
        var validationRows = Int("--validation-rows", "Validation rows: the N after the training rows (book: 10,000); 0 for none.", 10_000, min: 0);
        var monitor = Bool("--monitor-gradients", "Record per-layer learning speed ‖∂C/∂b‖, ‖∂C/∂W‖ at init and each epoch (default true).");
        var outPath = Opt("--out", "Where to write the model (an ML.NET model zip).", "model.zip");
        var report = Opt<string?>("--report", "Folder for the run's report (<model>.history.csv/json, <model>.gradients.csv/json). Default: beside the model.");
        var checkpoint = Opt<string?>("--checkpoint", "Write the best model so far (an ML.NET model zip) to this path after each epoch, and the training state beside it (<path>.state) for --resume.");
        var resume = Bool("--resume", "Continue the run whose --checkpoint is given from its last finished epoch (same options); the weights end bit-identical to an uninterrupted run.");
        foreach (var o in new Option[] { preset, variant, hidden, activation, cost, init, biasInit, epochs, batch, lr, l2, optimizer, momentum, beta1, beta2,
                     weightDecay, schedule, decayRate, stepSize, gamma, minLr, clipNorm, clipValue, dropout, batchNorm, patience, seed, trainRows,
                     validationRows, monitor, outPath, report, checkpoint, resume })
            mlp.Options.Add(o);

        mlp.SetAction((r, ct) =>
        {
            var c = console();
            var o = r.GetValue(preset) is { } p ? MlpPreset.Load(p, r.GetValue(variant)) : BookOptions();
            if (r.GetValue(preset) is null && r.GetValue(variant) is { } v0)
                throw new ArgumentException($"--variant '{v0}' needs --preset (e.g. --preset models/book-mlp.json --variant {v0}).");
            if (r.GetValue(hidden) is { } h)
                o.HiddenLayers = TryParseHidden(h, out var sizes) is { } error ? throw new ArgumentException(error) : sizes;
            Set(r, activation, v => o.Activation = v); Set(r, cost, v => o.Cost = v); Set(r, init, v => o.Initializer = v);
            Set(r, biasInit, v => o.BiasInitializer = v); Set(r, epochs, v => o.Epochs = v); Set(r, batch, v => o.BatchSize = v);
            Set(r, lr, v => o.LearningRate = v); Set(r, l2, v => o.L2 = v); Set(r, optimizer, v => o.Optimizer = v);
            Set(r, momentum, v => o.Momentum = v); Set(r, beta1, v => o.Beta1 = v); Set(r, beta2, v => o.Beta2 = v);
            Set(r, weightDecay, v => o.WeightDecay = v); Set(r, schedule, v => o.LearningRateSchedule = v);
            Set(r, decayRate, v => o.DecayRate = v); Set(r, stepSize, v => o.StepSize = v); Set(r, gamma, v => o.Gamma = v);
            Set(r, minLr, v => o.MinLearningRate = v); Set(r, clipNorm, v => o.GradientClipNorm = v); Set(r, clipValue, v => o.GradientClipValue = v);
            Set(r, dropout, v => o.Dropout = v); Set(r, batchNorm, v => o.BatchNorm = v); Set(r, patience, v => o.EarlyStoppingPatience = v);
            Set(r, monitor, v => o.MonitorGradients = v);
            if (r.GetValue(checkpoint) is { } cp) o.CheckpointPath = cp;
            if (r.GetValue(resume) == true)
            {
                if (o.CheckpointPath is null) throw new ArgumentException("--resume needs --checkpoint <path>: the checkpoint of the run to continue.");
                var state = o.StatePath!;
                if (!File.Exists(state))
                    throw new FileNotFoundException($"--resume: there is no training state at '{state}'; it is written after every epoch of a run with --checkpoint {o.CheckpointPath}. Run without --resume to start over.", state);
                o.Resume = true;
            }
            if (!HiddenActivations.Contains(o.Activation))
                throw new ArgumentException($"The preset's Activation {o.Activation} is not a hidden activation; pass --activation {string.Join("|", HiddenActivations)}.");
            // The seed is always explicit, so the one printed (and stored with the model) is the one a later --seed takes.
            int usedSeed = r.GetValue(seed) ?? o.Seed ?? 1;
            if (usedSeed < 0) throw new ArgumentException($"The preset's Seed {usedSeed} is negative; pass --seed 0..{int.MaxValue}.");
            o.Seed = usedSeed;
            var modelPath = r.GetValue(outPath)!;
            o.ReportDirectory = r.GetValue(report) ?? Path.GetDirectoryName(Path.GetFullPath(modelPath));
            o.ReportName = Path.GetFileNameWithoutExtension(modelPath);
            o.Cancellation = ct;

            var ml = new MLContext(seed: usedSeed);
            ml.Log += (_, e) =>
            {
                if (e.Kind is ChannelMessageKind.Warning or ChannelMessageKind.Error) c.Warn(e.RawMessage);
            };
            var loaded = data.Load(ml, r, fallbackDataSet: "mnist");
            if (!loaded.HasLabels) throw new ArgumentException($"train mlp needs labels: give --labels with {loaded.Source}.");
            var all = loaded.View;
            int nTrain = r.GetValue(trainRows), nValid = r.GetValue(validationRows);
            if (all.GetRowCount() is long rows && rows < (long)nTrain + nValid)
                throw new ArgumentException($"{loaded.Source} has {rows:N0} rows, fewer than --train-rows {nTrain:N0} + --validation-rows {nValid:N0}; lower them (e.g. --train-rows {rows * 5 / 6} --validation-rows {rows / 6}).");
            var trainSet = ml.Data.TakeRows(all, nTrain);
            // Digit d ↔ key d + 1 (keys by value), so class index d is digit d as in the book.
            var keys = CliErrors.OnUserData(loaded.Source, () =>
                ml.Transforms.Conversion.MapValueToKey(o.LabelColumnName, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(trainSet));
            if (nValid > 0) o.ValidationSet = keys.Transform(ml.Data.TakeRows(ml.Data.SkipRows(all, nTrain), nValid));

            c.Info(Header(o, usedSeed, nTrain, nValid, loaded.Source));
            var started = DateTime.UtcNow;
            var trainer = ml.MulticlassClassification.Trainers.Mlp(o);
            NetworkTransformer Fit() => CliErrors.OnUserData(loaded.Source, () => trainer.Fit(keys.Transform(trainSet)));
            NetworkTransformer network;
            if (c.ShowsLiveProgress)
            {
                network = c.Ansi.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(pc =>
                    {
                        var task = pc.AddTask("training", maxValue: 1.0);
                        o.Progress = new SynchronousProgress<TrainingProgress>(p =>
                        {
                            double frac = p.SamplesPerEpoch > 0 ? (p.Epoch - 1 + (double)p.SamplesDone / p.SamplesPerEpoch) / p.Epochs : (double)(p.Epoch - 1) / p.Epochs;
                            task.Value = Math.Min(1.0, frac);
                            task.Description = string.Create(CultureInfo.InvariantCulture,
                                $"epoch {p.Epoch}/{p.Epochs}  loss {p.Loss:F4}  acc {p.Accuracy:P2}  {p.SamplesPerSecond:N0} samples/s");
                        });
                        var m = Fit();
                        task.Value = 1.0;
                        return m;
                    });
            }
            else
            {
                int lastEpoch = 0;
                o.Progress = new SynchronousProgress<TrainingProgress>(p =>
                {
                    // One line per finished epoch when not drawing live progress (the loop reports the epoch's last batch with all its samples).
                    if (!c.ShowsProgress || p.Epoch == lastEpoch || p.SamplesPerEpoch == 0 || p.SamplesDone < p.SamplesPerEpoch) return;
                    lastEpoch = p.Epoch;
                    c.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:F4}, training accuracy {p.Accuracy:P2}, {p.SamplesPerSecond:N0} samples/s"));
                });
                network = Fit();
            }
            var model = new TransformerChain<ITransformer>(keys, network);
            ModelFiles.Save(ml, model, all.Schema, modelPath);
            var history = network.History!;
            Summarise(c, history, modelPath, o, usedSeed, nTrain, nValid, DateTime.UtcNow - started);
            return Task.FromResult(0);
        });
        train.Subcommands.Add(mlp);
        train.Subcommands.Add(TrainRnnCommand.Create(console));
        train.Subcommands.Add(TrainCnnCommand.Create(console));
        train.Subcommands.Add(LanguageModelCommands.CreateTrain(console));
        return train;
    }

    private static string Header(MlpOptions o, int seed, int nTrain, int nValid, string source)
    {
        var inv = CultureInfo.InvariantCulture;
        string net = $"[784,{string.Concat(o.HiddenLayers.Select(x => x.ToString(inv) + ","))}10]";
        return string.Create(inv, $"training {net} ({o.Activation}, {o.Cost}, {o.Initializer} weights, {o.BiasInitializer} biases) on {source}: ")
            + string.Create(inv, $"{Plural(o.Epochs, "epoch")}, mini-batch {o.BatchSize}, η {o.LearningRate}, λ {o.L2}, {o.Optimizer}, seed {seed}; ")
            + string.Create(inv, $"{nTrain:N0} training rows, {(nValid > 0 ? $"{nValid:N0} validation rows" : "no validation")}");
    }

    private static void Summarise(CliConsole c, TrainingHistory h, string modelPath, MlpOptions o, int seed, int nTrain, int nValid, TimeSpan elapsed)
    {
        var last = h.Last;
        var best = h.Epochs.Where(e => e.ValidationAccuracy is not null).MaxBy(e => e.ValidationAccuracy!.Value);
        double samplesPerSecond = h.Epochs.Sum(e => e.Samples) / Math.Max(1e-9, h.Epochs.Sum(e => e.Seconds));
        var json = TrainingReport.HistoryToJson(h);
        json["model"] = Path.GetFullPath(modelPath);
        json["seed"] = seed;
        json["network"] = $"[{string.Join(",", o.HiddenLayers)}] hidden, {o.Activation}, {o.Cost}";
        json["options"] = JsonSerializer.SerializeToNode(o, OptionsJson);
        json["trainingRows"] = nTrain;
        json["validationRows"] = nValid;
        json["samplesPerSecond"] = samplesPerSecond;
        json["seconds"] = elapsed.TotalSeconds;
        c.WriteJson(json);
        if (c.Json) return;
        var inv = CultureInfo.InvariantCulture;
        if (!c.Quiet)
        {
            var table = new Table().AddColumns("epoch", "train loss", "train acc", "valid acc", "η", "samples/s");
            foreach (var e in h.Epochs)
                table.AddRow(e.Epoch.ToString(inv), e.TrainLoss.ToString("F4", inv), e.TrainAccuracy.ToString("P2", inv),
                    e.ValidationAccuracy?.ToString("P2", inv) ?? "-", e.LearningRate.ToString("G4", inv), e.SamplesPerSecond.ToString("N0", inv));
            c.Render(table);
            if (h.InitialLearningSpeeds is { } init)
            {
                var speeds = new Table().AddColumns("layer", "hidden", "‖∂C/∂b‖ at init", "‖∂C/∂W‖ at init", "‖∂C/∂b‖ last epoch");
                var lastSpeeds = last?.LearningSpeeds;
                foreach (var s in init)
                    speeds.AddRow(Markup.Escape(s.Layer), s.IsHidden ? "yes" : "output", s.BiasGradientNorm.ToString("G4", inv), s.WeightGradientNorm.ToString("G4", inv),
                        lastSpeeds?.FirstOrDefault(x => x.Layer == s.Layer)?.BiasGradientNorm.ToString("G4", inv) ?? "-");
                c.Render(new Markup("[bold]Learning speed per layer[/] (chapter 34: ‖mean δˡ‖ over the monitor samples)\n"));
                c.Render(speeds);
            }
        }
        string validation = best is not null
            ? string.Create(inv, $"validation accuracy {last!.ValidationAccuracy:P2} (best {best.ValidationAccuracy:P2} at epoch {best.Epoch}); ")
            : "";
        c.Result(string.Create(inv, $"trained {Plural(h.Epochs.Count, "epoch")} in {elapsed.TotalSeconds:F1} s ({samplesPerSecond:N0} samples/s), λ {o.L2}, seed {seed}; ")
            + validation + $"model written to {Path.GetFullPath(modelPath)}");
    }

    /// <summary>"1 epoch", "2 epochs".</summary>
    internal static string Plural(long n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n:N0} {noun}{(n == 1 ? "" : "s")}");

    /// <summary>Parses --hidden: "30", "30,30", or "none"/"0" for no hidden layer; returns an error naming --hidden, or null.</summary>
    internal static string? TryParseHidden(string text, out int[] sizes)
    {
        sizes = [];
        var t = text.Trim();
        if (t.Equals("none", StringComparison.OrdinalIgnoreCase) || t == "0") return null;
        if (t.Length == 0) return "--hidden needs layer sizes, e.g. --hidden 30 or --hidden 30,30 (--hidden none for no hidden layer).";
        try
        {
            sizes = ParseSizes(t);
            return null;
        }
        catch (ArgumentException)
        {
            return $"--hidden takes positive layer sizes separated by commas (e.g. 30 or 30,30; 'none' for no hidden layer); got '{text}'.";
        }
    }

    /// <summary>Positive integers separated by commas (e.g. 30,30).</summary>
    internal static int[] ParseSizes(string text, string flag = "--hidden")
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
                throw new ArgumentException($"{flag} takes positive integers separated by commas (e.g. 30,30); got '{text}'.");
        return sizes;
    }

    private static void Set<T>(ParseResult r, Option<T?> option, Action<T> apply) where T : struct
    {
        if (r.Given(option) && r.GetValue(option) is T v) apply(v);
    }
}

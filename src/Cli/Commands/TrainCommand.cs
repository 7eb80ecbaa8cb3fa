using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Engine.Activations;
using DlBook.Trainers;
using DlBook.Trainers.Mlp;
using DlBook.Trainers.Networks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Reports;
using DlBook.Trainers.Training;
using Spectre.Console;

namespace DlBook.Cli.Commands;

/// <summary>dlbook train mlp: the book's MLP (or any MLP) on IDX image data, with every option of <see cref="MlpOptions"/>.</summary>
public static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var train = new Command("train", "Train a network.");
        var mlp = new Command("mlp", "Train a multilayer perceptron (the book's MNIST network by default: [784,30,10], sigmoid, cross-entropy, N(0,1/n_in), mini-batch 10, η 0.1, λ 5.0).");
        var data = new DataInput();
        data.AddTo(mlp, withInput: false);
        var preset = Opt<string?>("--preset", "JSON preset of MlpOptions (e.g. models/book-mlp.json); explicit options override it.");
        var variant = Opt<string?>("--variant", "Named variant of the preset (e.g. 784-30-30-10, large-init).");
        var hidden = Opt<string?>("--hidden", "Hidden layer sizes, comma-separated (e.g. 30 or 30,30).");
        var activation = Opt<Activation?>("--activation", "Hidden activation: Sigmoid, Tanh, Relu, LeakyRelu, Elu.");
        activation.AcceptOnlyFromAmong("Sigmoid", "Tanh", "Relu", "LeakyRelu", "Elu");
        var cost = Opt<Cost?>("--cost", "CrossEntropy (sigmoid outputs, the book's), Quadratic, or SoftmaxCrossEntropy.");
        var init = Opt<Initializer?>("--init", "Weight initialiser: Normal1OverFanIn (book), StandardNormal (book's 'large'), GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform, Uniform, Zeros.");
        var biasInit = Opt<Initializer?>("--bias-init", "Bias initialiser (book: StandardNormal).");
        var epochs = Opt<int?>("--epochs", "Epochs (book: 30).");
        var batch = Opt<int?>("--batch-size", "Mini-batch size (book: 10).");
        var lr = Opt<float?>("--lr", "Learning rate η (book: 0.1).");
        var l2 = Opt<float?>("--l2", "L2 regularisation λ, scaled by λ/n as in the book (book: 5.0).");
        var optimizer = Opt<OptimizerKind?>("--optimizer", "Sgd, Momentum, Nesterov, Adagrad, RmsProp, Adam, AdamW.");
        var momentum = Opt<float?>("--momentum", "Momentum μ for Momentum/Nesterov.");
        var beta1 = Opt<float?>("--beta1", "Adam β1.");
        var beta2 = Opt<float?>("--beta2", "Adam β2.");
        var weightDecay = Opt<float?>("--weight-decay", "AdamW decoupled weight decay.");
        var schedule = Opt<LearningRateSchedule?>("--schedule", "Learning-rate schedule: Constant, ExponentialDecay, StepDecay, Cosine.");
        var decayRate = Opt<float?>("--decay-rate", "Per-epoch factor of ExponentialDecay (e.g. 0.98).");
        var stepSize = Opt<int?>("--step-size", "Epochs per step of StepDecay.");
        var gamma = Opt<float?>("--gamma", "Factor of StepDecay.");
        var minLr = Opt<float?>("--min-lr", "Floor of Cosine.");
        var clipNorm = Opt<float?>("--clip-norm", "Clip gradients to this global L2 norm θ.");
        var clipValue = Opt<float?>("--clip-value", "Clip each gradient element to ±value.");
        var dropout = Opt<float?>("--dropout", "Dropout rate after each hidden layer.");
        var batchNorm = Opt<bool?>("--batch-norm", "Batch normalisation after each hidden Dense layer.");
        var patience = Opt<int?>("--patience", "Early stopping: epochs without validation improvement before stopping (restores the best weights).");
        var seed = Opt<int?>("--seed", "Seed (same seed and thread count give bit-identical weights).");
        var trainRows = Opt<int>("--train-rows", "Training rows: the first N of the training file (book: 50,000).", 50_000);
        var validationRows = Opt<int>("--validation-rows", "Validation rows: the N after the training rows (book: 10,000); 0 for none.", 10_000);
        var monitor = Opt<bool?>("--monitor-gradients", "Record per-layer learning speed ‖∂C/∂b‖, ‖∂C/∂W‖ at init and each epoch (default on).");
        var outPath = Opt<string>("--out", "Where to write the model (an ML.NET model zip).", "model.zip");
        var report = Opt<string?>("--report", "Folder for the run's report (history.csv/json, gradients.csv/json). Default: beside the model.");
        var checkpoint = Opt<string?>("--checkpoint", "Write the best model so far to this path after each epoch.");
        foreach (var o in new Option[] { preset, variant, hidden, activation, cost, init, biasInit, epochs, batch, lr, l2, optimizer, momentum, beta1, beta2,
                     weightDecay, schedule, decayRate, stepSize, gamma, minLr, clipNorm, clipValue, dropout, batchNorm, patience, seed, trainRows,
                     validationRows, monitor, outPath, report, checkpoint })
            mlp.Options.Add(o);

        mlp.SetAction((r, ct) =>
        {
            var c = console();
            // Without a preset the book's network: its options are MlpOptions' defaults plus the book's λ = 5.0.
            var o = r.GetValue(preset) is { } p ? MlpPreset.Load(p, r.GetValue(variant)) : new MlpOptions { L2 = 5.0f };
            if (r.GetValue(hidden) is { } h) o.HiddenLayers = ParseSizes(h);
            Set(r, activation, v => o.Activation = v!.Value); Set(r, cost, v => o.Cost = v!.Value); Set(r, init, v => o.Initializer = v!.Value);
            Set(r, biasInit, v => o.BiasInitializer = v!.Value); Set(r, epochs, v => o.Epochs = v!.Value); Set(r, batch, v => o.BatchSize = v!.Value);
            Set(r, lr, v => o.LearningRate = v!.Value); Set(r, l2, v => o.L2 = v!.Value); Set(r, optimizer, v => o.Optimizer = v!.Value);
            Set(r, momentum, v => o.Momentum = v!.Value); Set(r, beta1, v => o.Beta1 = v!.Value); Set(r, beta2, v => o.Beta2 = v!.Value);
            Set(r, weightDecay, v => o.WeightDecay = v!.Value); Set(r, schedule, v => o.LearningRateSchedule = v!.Value);
            Set(r, decayRate, v => o.DecayRate = v!.Value); Set(r, stepSize, v => o.StepSize = v!.Value); Set(r, gamma, v => o.Gamma = v!.Value);
            Set(r, minLr, v => o.MinLearningRate = v!.Value); Set(r, clipNorm, v => o.GradientClipNorm = v); Set(r, clipValue, v => o.GradientClipValue = v);
            Set(r, dropout, v => o.Dropout = v!.Value); Set(r, batchNorm, v => o.BatchNorm = v!.Value); Set(r, patience, v => o.EarlyStoppingPatience = v);
            Set(r, seed, v => o.Seed = v); Set(r, monitor, v => o.MonitorGradients = v!.Value); Set(r, checkpoint, v => o.CheckpointPath = v);
            var modelPath = r.GetValue(outPath)!;
            o.ReportDirectory = r.GetValue(report) ?? Path.GetDirectoryName(Path.GetFullPath(modelPath));
            o.Cancellation = ct;

            var ml = new MLContext(o.Seed ?? 1);
            ml.Log += (_, e) =>
            {
                if (!e.Source.StartsWith("Mlp", StringComparison.Ordinal)) return;
                if (e.Kind >= ChannelMessageKind.Warning) c.Warn(e.RawMessage);
                else if (e.Kind == ChannelMessageKind.Info && !c.ShowsLiveProgress) c.Info(e.RawMessage);
            };
            var all = data.Load(ml, r, fallbackDataSet: "mnist", defaultSplit: "train");
            int nTrain = r.GetValue(trainRows), nValid = r.GetValue(validationRows);
            if (nTrain < 1) throw new ArgumentException($"--train-rows must be at least 1 (got {nTrain}).");
            if (nValid < 0) throw new ArgumentException($"--validation-rows must be 0 or more (got {nValid}).");
            if (all.GetRowCount() is long rows && rows < (long)nTrain + nValid)
                throw new ArgumentException($"The data has {rows:N0} rows, fewer than --train-rows {nTrain:N0} + --validation-rows {nValid:N0}; lower them (e.g. --train-rows {rows * 5 / 6} --validation-rows {rows / 6}).");
            var trainSet = ml.Data.TakeRows(all, nTrain);
            // Digit d ↔ key d + 1 (keys by value), so the class index is the digit.
            var keys = ml.Transforms.Conversion.MapValueToKey(o.LabelColumnName, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(trainSet);
            if (nValid > 0) o.ValidationSet = keys.Transform(ml.Data.TakeRows(ml.Data.SkipRows(all, nTrain), nValid));
            var started = DateTime.UtcNow;
            var trainer = ml.MulticlassClassification.Trainers.Mlp(o);
            NetworkTransformer mlpModel = c.ShowsLiveProgress
                ? c.Ansi.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start<NetworkTransformer>(pc =>
                    {
                        var task = pc.AddTask("training", maxValue: 1.0);
                        o.Progress = new SynchronousProgress<TrainingProgress>(p =>
                        {
                            double frac = p.SamplesPerEpoch > 0 ? (p.Epoch - 1 + (double)p.SamplesDone / p.SamplesPerEpoch) / p.Epochs : (double)(p.Epoch - 1) / p.Epochs;
                            task.Value = Math.Min(1.0, frac);
                            task.Description = string.Create(CultureInfo.InvariantCulture,
                                $"epoch {p.Epoch}/{p.Epochs}  loss {p.Loss:F4}  acc {p.Accuracy:P2}  {p.SamplesPerSecond:N0} samples/s");
                        });
                        var m = trainer.Fit(keys.Transform(trainSet));
                        task.Value = 1.0;
                        return m;
                    })
                : trainer.Fit(keys.Transform(trainSet));
            var model = new TransformerChain<ITransformer>(keys, mlpModel);
            ModelFiles.Save(ml, model, all.Schema, modelPath);
            var history = mlpModel.History!;
            if (o.ReportDirectory is { } dir)
            {
                TrainingReport.WriteHistory(history, dir);
                if (o.MonitorGradients) TrainingReport.WriteGradients(history, dir);
            }
            Summarise(c, history, modelPath, o, DateTime.UtcNow - started);
            return Task.FromResult(0);
        });
        train.Subcommands.Add(mlp);
        return train;
    }

    private static void Summarise(CliConsole c, TrainingHistory h, string modelPath, MlpOptions o, TimeSpan elapsed)
    {
        var last = h.Last;
        var best = h.Epochs.Where(e => e.ValidationAccuracy is not null).MaxBy(e => e.ValidationAccuracy!.Value);
        double samplesPerSecond = h.Epochs.Sum(e => e.Samples) / Math.Max(1e-9, h.Epochs.Sum(e => e.Seconds));
        var json = TrainingReport.HistoryToJson(h);
        json["model"] = Path.GetFullPath(modelPath);
        json["network"] = $"[{string.Join(",", o.HiddenLayers)}] hidden, {o.Activation}, {o.Cost}";
        json["seed"] = o.Seed ?? 1;
        json["l2"] = o.L2;
        json["samplesPerSecond"] = samplesPerSecond;
        json["seconds"] = elapsed.TotalSeconds;
        c.WriteJson(json);
        if (c.Json) return;
        if (!c.Quiet)
        {
            var table = new Table().AddColumns("epoch", "train loss", "train acc", "valid acc", "η", "samples/s");
            foreach (var e in h.Epochs)
                table.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), e.TrainLoss.ToString("F4", CultureInfo.InvariantCulture),
                    e.TrainAccuracy.ToString("P2", CultureInfo.InvariantCulture),
                    e.ValidationAccuracy?.ToString("P2", CultureInfo.InvariantCulture) ?? "-",
                    e.LearningRate.ToString("G4", CultureInfo.InvariantCulture), e.SamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture));
            c.Render(table);
            if (h.InitialLearningSpeeds is { } init)
            {
                var speeds = new Table().AddColumns("layer", "hidden", "‖∂C/∂b‖ at init", "‖∂C/∂W‖ at init", "‖∂C/∂b‖ last epoch");
                var lastSpeeds = last?.LearningSpeeds;
                foreach (var s in init)
                    speeds.AddRow(s.Layer, s.IsHidden ? "yes" : "output", s.BiasGradientNorm.ToString("G4", CultureInfo.InvariantCulture),
                        s.WeightGradientNorm.ToString("G4", CultureInfo.InvariantCulture),
                        lastSpeeds?.FirstOrDefault(x => x.Layer == s.Layer)?.BiasGradientNorm.ToString("G4", CultureInfo.InvariantCulture) ?? "-");
                c.Render(new Markup("[bold]Learning speed per layer[/] (chapter 34: ‖mean δˡ‖ over the monitor samples)\n"));
                c.Render(speeds);
            }
        }
        var inv = CultureInfo.InvariantCulture;
        string validation = best is not null
            ? string.Create(inv, $"validation accuracy {last!.ValidationAccuracy:P2} (best {best.ValidationAccuracy:P2} at epoch {best.Epoch}); ")
            : "";
        c.Result(string.Create(inv, $"trained {h.Epochs.Count} epoch{(h.Epochs.Count == 1 ? "" : "s")} (seed {o.Seed ?? 1}, λ {o.L2}) in {elapsed.TotalSeconds:F1} s ({samplesPerSecond:N0} samples/s); ")
            + validation + $"model written to {Path.GetFullPath(modelPath)}");
    }

    internal static int[] ParseSizes(string text)
    {
        try
        {
            var sizes = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            if (sizes.Length == 0 || sizes.Any(s => s < 1)) throw new FormatException();
            return sizes;
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--hidden takes positive layer sizes separated by commas (e.g. 30 or 30,30); got '{text}'.");
        }
    }

    private static Option<T> Opt<T>(string name, string description) => new(name) { Description = description };

    private static Option<T> Opt<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static void Set<T>(ParseResult r, Option<T> option, Action<T> apply)
    {
        if (r.GetResult(option) is not null && r.GetValue(option) is { } v) apply(v);
    }
}

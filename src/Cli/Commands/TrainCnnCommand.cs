using System.CommandLine;
using System.Globalization;
using DlBook.Cli.Output;
using DlBook.Trainers.Cnn;
using DlBook.Trainers.Networks;
using DlBook.Trainers.Options;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Reports;
using DlBook.Trainers.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;
using static DlBook.Cli.Commands.OptionRules;

namespace DlBook.Cli.Commands;

/// <summary>
/// dlbook train cnn: the book's dogs-vs-cats CNN (or its deeper variant) on image folders laid out as
/// &lt;root&gt;/&lt;class&gt;/*.jpg, decoded once by our image pipeline, evaluated on a validation folder, saved as an
/// ML.NET model zip whose chain starts from the image path.
/// </summary>
public static class TrainCnnCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("cnn", "Train a convolutional network on image folders (<root>/<class>/*.jpg); the book's dogs-vs-cats net by default.");
        var data = new Option<string[]>("--data") { Description = "Training image folders, <root>/<class>/*.jpg (several: train and extra).", Required = true, AllowMultipleArgumentsPerToken = true };
        var validation = Opt<string?>("--validation", "Validation image folder (same class folders).");
        var preset = Opt<string?>("--preset", "JSON preset of CnnOptions (models/book-cnn.json); default: the book's network with its augmentation.");
        var variant = Opt<string?>("--variant", "Named variant of the preset (book, no-augmentation, deep).");
        var size = Int("--size", "Images are resized (stretched) to size × size (book: 64).", min: 8, max: 1024);
        var epochs = Int("--epochs", "Epochs (preset's, book: 10).", min: 1);
        var batch = Int("--batch-size", "Mini-batch size (book: 32).", min: 1);
        var lr = Float("--lr", "Learning rate of Adam (book: 0.001).", 0, minExclusive: true);
        var seed = Int("--seed", "Seed, 0 to 2147483647 (default 1).", min: 0);
        var outPath = Opt("--out", "Where to write the model (an ML.NET model zip starting from the image path).", "cnn.zip");
        foreach (var o in new Option[] { data, validation, preset, variant, size, epochs, batch, lr, seed, outPath }) cmd.Options.Add(o);

        cmd.SetAction((r, ct) =>
        {
            var c = console();
            if (r.GetValue(preset) is null && r.GetValue(variant) is { } v0)
                throw new ArgumentException($"--variant '{v0}' needs --preset (e.g. --preset models/book-cnn.json --variant {v0}).");
            var o = r.GetValue(preset) is { } p ? Presets.Load<CnnOptions>(p, r.GetValue(variant)) : new CnnOptions { HorizontalFlip = true, ShearRange = 0.2f, ZoomRange = 0.2f };
            if (r.GetValue(epochs) is int e) o.Epochs = e;
            if (r.GetValue(batch) is int b) o.BatchSize = b;
            if (r.GetValue(lr) is float l) o.LearningRate = l;
            int usedSeed = r.GetValue(seed) ?? 1;
            o.Seed = usedSeed;
            o.Cancellation = ct;
            int px = r.GetValue(size) ?? 64;
            var ml = new MLContext(seed: usedSeed);
            ml.Log += (_, ev) => { if (ev.Kind is ChannelMessageKind.Warning or ChannelMessageKind.Error) c.Warn(ev.RawMessage); };
            var roots = r.GetValue(data)!;
            var images = ml.Data.LoadFromImageFolder(roots);
            var prep = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.Transforms.LoadImagePixels("Features", "ImagePath", px, px, ImageResizingEstimator.ResizingKind.Fill, scaleImage: 1f / 255));
            c.Info(string.Create(CultureInfo.InvariantCulture,
                $"training a CNN of {o.ConvBlocks.Count} conv blocks on {string.Join(" + ", roots)} at {px}×{px}: {TrainCommand.Plural(o.Epochs, "epoch")}, mini-batch {o.BatchSize}, {o.Optimizer} η {o.LearningRate}, " +
                $"augmentation {(o.HorizontalFlip || o.ShearRange > 0 || o.ZoomRange > 0 || o.ShiftRange > 0 ? $"flip {o.HorizontalFlip}, shear {o.ShearRange}, zoom {o.ZoomRange}, shift {o.ShiftRange}" : "off")}, seed {usedSeed}"));
            int lastEpoch = 0;
            o.Progress = new SynchronousProgress<TrainingProgress>(pr =>
            {
                if (!c.ShowsProgress || pr.Epoch == lastEpoch || pr.SamplesPerEpoch == 0 || pr.SamplesDone < pr.SamplesPerEpoch) return;
                lastEpoch = pr.Epoch;
                c.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  epoch {pr.Epoch}/{pr.Epochs}: loss {pr.Loss:F4}, training accuracy {pr.Accuracy:P2}, {pr.SamplesPerSecond:N0} images/s"));
            });
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var fittedPrep = prep.Fit(images);
            var pixels = fittedPrep.Transform(images);
            if (r.GetValue(validation) is { } vroot) o.ValidationSet = fittedPrep.Transform(ml.Data.LoadFromImageFolder(vroot));
            var task = ((KeyDataViewType)pixels.Schema["Label"].Type).Count == 2;
            NetworkTransformer network = task ? ml.BinaryClassification.Trainers.Cnn(o).Fit(pixels) : ml.MulticlassClassification.Trainers.Cnn(o).Fit(pixels);
            var elapsed = clock.Elapsed;
            var model = fittedPrep.Append(network);
            var modelPath = r.GetValue(outPath)!;
            ModelFiles.Save(ml, model, images.Schema, modelPath);

            var h = network.History!;
            var json = TrainingReport.HistoryToJson(h);
            double? accuracy = null;
            if (o.ValidationSet is { } vs)
            {
                var scored = network.Transform(vs);
                accuracy = task ? ml.BinaryClassification.Evaluate(scored).Accuracy : ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;
                json["validationAccuracy"] = accuracy;
            }
            json["initialLearningSpeeds"] = Speeds(h.InitialLearningSpeeds);
            json["finalLearningSpeeds"] = Speeds(h.Last?.LearningSpeeds);
            json["parameters"] = network.Model.Layers.Sum(layer => layer.Parameters.Sum(pp => pp.Shape.Aggregate(1L, (a, d) => a * d)));
            json["seconds"] = elapsed.TotalSeconds;
            json["seed"] = usedSeed;
            json["model"] = Path.GetFullPath(modelPath);
            c.WriteJson(json);
            if (!c.Json)
                c.Result(string.Create(CultureInfo.InvariantCulture,
                    $"trained {TrainCommand.Plural(h.Epochs.Count, "epoch")} in {elapsed.TotalMinutes:F1} min{(accuracy is double a ? $": validation accuracy {a:P2}" : "")}; model written to {Path.GetFullPath(modelPath)}"));
            return Task.FromResult(0);
        });
        return cmd;
    }

    private static System.Text.Json.Nodes.JsonArray? Speeds(IReadOnlyList<Engine.Diagnostics.LayerLearningSpeed>? speeds) => speeds is null ? null
        : new(speeds.Select(s => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
        {
            ["layer"] = s.Layer, ["bias"] = double.IsFinite(s.BiasGradientNorm) ? s.BiasGradientNorm : null, ["weight"] = s.WeightGradientNorm,
        }).ToArray());
}

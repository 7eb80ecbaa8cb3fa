using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Trainers.Packaging;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Cli.Commands;

/// <summary>dlbook predict: the engine's own predictions of a saved model, written as CSV.</summary>
public static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("predict", "Predict with a saved model (.zip) on the engine and write Row,PredictedLabel,Score_<class>… as CSV (atomically).");
        var model = new Option<string>("--model") { Description = "Model file (an ML.NET model zip from 'dlbook train').", Required = true };
        var output = new Option<string>("--out") { Description = "Predictions CSV to write (atomically).", DefaultValueFactory = _ => "predictions.csv" };
        cmd.Options.Add(model);
        cmd.Options.Add(output);
        var images = new Argument<string[]>("images") { Description = "Image files (JPEG, PNG) to classify with a CNN model: prints file, label and probability per file.", Arity = ArgumentArity.ZeroOrMore };
        cmd.Arguments.Add(images);
        var data = new DataInput(defaultSplit: "test");
        data.AddTo(cmd, withInput: true);
        cmd.SetAction(r =>
        {
            var c = console();
            var ml = new MLContext(seed: 1);
            var modelPath = r.GetValue(model)!;
            var outPath = r.GetValue(output)!;
            var m = ModelFiles.Load(ml, modelPath, out _);
            var network = ModelSteps.Network(m, modelPath);
            if (r.GetValue(images) is { Length: > 0 } files) return Images(c, ml, m, network, modelPath, files);
            var loaded = data.Load(ml, r);
            var clock = Stopwatch.StartNew();
            long rows = CliErrors.OnUserData($"{loaded.Source} with --model '{modelPath}'", () =>
            {
                var scoring = ModelSteps.ForScoring(m, loaded.View.Schema);
                // A CSV cell TextLoader cannot parse becomes NaN; fail naming it rather than write NaN predictions.
                Action<long>? onNaN = loaded.TextFile is null ? null : row => throw DataInput.NotANumber(loaded, row, modelPath);
                return PredictionsCsv.Write(scoring.Transform(loaded.View), network, outPath, onNaN);
            });
            double seconds = clock.Elapsed.TotalSeconds;
            c.WriteJson(new JsonObject { ["model"] = Path.GetFullPath(modelPath), ["out"] = Path.GetFullPath(outPath), ["rows"] = rows, ["seconds"] = seconds });
            c.Result(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} predictions written to {Path.GetFullPath(outPath)} in {seconds:F2} s ({rows / Math.Max(seconds, 1e-9):N0} rows/s)"));
            return 0;
        });
        return cmd;
    }

    // One file at a time through the model's chain (LoadImagePixels first): label and probability per file, an
    // unreadable file named on stderr (exit 2 after the others are done).
    private static int Images(CliConsole c, MLContext ml, ITransformer model, Trainers.Networks.NetworkTransformer network, string modelPath, string[] files)
    {
        var steps = model is IEnumerable<ITransformer> chain ? chain.ToList() : [model];
        var decoder = steps.OfType<Pipelines.Images.ImagePixelsTransformer>().FirstOrDefault()
            ?? throw new ArgumentException($"--model '{modelPath}' does not start from an image path (it has no LoadImagePixels step); image files need a model from 'dlbook train cnn'.");
        var names = network.LabelNames;
        var results = new JsonArray();
        int bad = 0;
        foreach (var file in files)
        {
            var view = ml.Data.LoadFromEnumerable(new[] { new ImageFile { ImagePath = Path.GetFullPath(file) } });
            var scored = ModelSteps.ForScoring(model, view.Schema).Transform(view);
            var result = Read(scored, names);
            if (result is not var (label, probability))
            {
                bad++;
                var reason = decoder.Report.FirstBadImages.LastOrDefault(x => x.Path == Path.GetFullPath(file))?.Problem ?? "it could not be read.";
                c.Warn($"{file}: {reason}");
                continue;
            }
            results.Add(new JsonObject { ["file"] = file, ["label"] = label, ["probability"] = probability });
            if (!c.Json) c.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}\t{label}\t{probability:F4}"));
        }
        c.WriteJson(new JsonObject { ["model"] = Path.GetFullPath(modelPath), ["predictions"] = results, ["unreadable"] = bad });
        if (bad > 0) throw new Pipelines.Data.DataFormatException($"{bad} of {files.Length} image files could not be read (named above); the others were classified.");
        return 0;
    }

    // The one row's label and probability, or null when its image was left out (unreadable).
    private static (string Label, float Probability)? Read(IDataView scored, IReadOnlyList<string>? names)
    {
        var probability = scored.Schema.GetColumnOrNull("Probability");
        var score = scored.Schema["Score"];
        using var cursor = scored.GetRowCursor(probability is { } p ? [p] : [score]);
        if (!cursor.MoveNext()) return null;
        if (probability is { } pc)
        {
            float v = 0;
            cursor.GetGetter<float>(pc)(ref v);
            int k = v > 0.5f ? 1 : 0;
            return (names is { Count: 2 } ? names[k] : (k == 1 ? "true" : "false"), k == 1 ? v : 1 - v);
        }
        VBuffer<float> buffer = default;
        cursor.GetGetter<VBuffer<float>>(score)(ref buffer);
        var values = buffer.DenseValues().ToArray();
        int best = 0;
        for (int j = 1; j < values.Length; j++) if (values[j] > values[best]) best = j;
        return (names is not null && best < names.Count ? names[best] : best.ToString(CultureInfo.InvariantCulture), values[best]);
    }

    private sealed class ImageFile
    {
        public string ImagePath { get; set; } = "";
    }

}

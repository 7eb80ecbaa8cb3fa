using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Export.Scoring;
using Microsoft.ML;

namespace DlBook.Cli.Commands;

/// <summary>
/// dlbook score: batch scoring of an ONNX model with ONNX Runtime (CPU or CUDA), over data (CSV, IDX) or over image
/// files and folders (--images), decoded with the model's image_decoder settings.
/// </summary>
public static class ScoreCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("score", "Score data with an ONNX model on ONNX Runtime, streaming in batches, and write Row,PredictedLabel,Score_<class>… as CSV (atomically); " +
            "or score image files and folders (--images) and write Path,PredictedLabel,Probability,Score_<class>….");
        var model = new Option<string>("--model") { Description = "ONNX model file.", Required = true };
        var output = new Option<string>("--out") { Description = "Predictions CSV to write.", DefaultValueFactory = _ => "predictions.csv" };
        var batch = OptionRules.Int("--batch", "Rows per ONNX Runtime call (default 256).", 256, min: 1, max: 1_000_000);
        var device = new Option<string>("--device") { Description = "cpu, or cuda:N for ORT's CUDA execution provider.", DefaultValueFactory = _ => "cpu" };
        var fallback = new Option<bool>("--fallback-to-cpu") { Description = "With --device cuda:N, run on CPU with a warning when CUDA cannot be used." };
        var threads = OptionRules.Int("--threads", "ORT intra-op threads (0: ORT's choice).", 0, min: 0, max: 1024);
        var images = new Option<string[]>("--images")
        {
            Description = "Image files (any name) or folders (searched with their subfolders for .jpg, .jpeg, .png) to score with a model exported " +
                "from a chain that starts with LoadImagePixels ('dlbook train cnn', then 'dlbook export'); or one IDX images file.",
            AllowMultipleArgumentsPerToken = true, HelpName = "files|folders",
        };
        var stopOnBad = new Option<bool>("--stop-on-bad-image") { Description = "With --images: stop at the first image that cannot be read, naming it (default: skip it and count it)." };
        foreach (var o in new Option[] { model, output, batch, device, fallback, threads, images, stopOnBad }) cmd.Options.Add(o);
        var data = new DataInput(defaultSplit: "test", withImagesOption: false);
        data.AddTo(cmd, withInput: true);
        cmd.SetAction((r, ct) =>
        {
            var c = console();
            var scoring = new OnnxBatchScorerOptions
            {
                BatchSize = r.GetValue(batch), GpuDeviceId = ParseDevice(r.GetValue(device)!), FallbackToCpu = r.GetValue(fallback),
                IntraOpNumThreads = r.GetValue(threads),
                Log = message => c.Warn(message.Replace("allow the CPU fallback", "pass --fallback-to-cpu", StringComparison.Ordinal)),
            };
            var paths = r.GetValue(images) ?? [];
            // One IDX file is the IDX images of the data options (as before --images took image files too).
            string? idx = paths is [var only] && File.Exists(only) && DataInput.IsIdx(only)
                && !OnnxImageScorer.ImageExtensions.Contains(Path.GetExtension(only), StringComparer.OrdinalIgnoreCase) ? only : null;
            if (paths.Length > 0 && idx is null)
            {
                foreach (var (other, name) in new (Option, string)[] { (data.Input, "--input"), (data.DataSet, "--data"), (data.Labels, "--labels"), (data.HasHeader, "--has-header") })
                    if (r.Given(other))
                        throw new ArgumentException($"--images (image files or folders) and {name} cannot be used together: score image files with --images, or a CSV or IDX file with --input, not both.");
                return Task.FromResult(ScoreImages(c, r.GetValue(model)!, paths, r.GetValue(output)!, r.GetValue(batch), r.GetValue(stopOnBad), scoring, ct));
            }
            if (r.GetValue(stopOnBad)) throw new ArgumentException("--stop-on-bad-image goes with --images (image files or folders).");
            if (idx is not null && r.Given(data.Input))
                throw new ArgumentException("--images and --input cannot be used together: give the IDX images file with one of them.");
            using var scorer = new OnnxBatchScorer(r.GetValue(model)!, scoring);
            var loaded = data.Load(new MLContext(1), r, idxImages: idx);
            var view = loaded.View;
            long lastLine = 0;
            var progress = new SynchronousProgress<OnnxScoringProgress>(p =>
            {
                if (!c.ShowsProgress || p.Rows - lastLine < 50_000) return;
                lastLine = p.Rows;
                c.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Rows:N0} rows, {p.Rows / Math.Max(p.Elapsed.TotalSeconds, 1e-9):N0} rows/s"));
            });
            OnnxScoringSummary summary;
            try { summary = CliErrors.OnUserData($"{loaded.Source} with --model '{r.GetValue(model)}'", () => scorer.ScoreToCsv(view, r.GetValue(output)!, progress, ct)); }
            catch (DlBook.Pipelines.Data.DataFormatException e) when (loaded.TextFile is not null
                && System.Text.RegularExpressions.Regex.Match(e.Message, @"^Row (\d+) ") is { Success: true } m)
            {
                // ML.NET's text loader reads a cell that is not a number as NaN: name the file, line, column and text.
                throw DataInput.NotANumber(loaded, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }
            double rate = summary.Rows / Math.Max(summary.Elapsed.TotalSeconds, 1e-9);
            c.WriteJson(new JsonObject
            {
                ["out"] = summary.OutputPath, ["rows"] = summary.Rows, ["seconds"] = summary.Elapsed.TotalSeconds,
                ["rowsPerSecond"] = rate, ["executionProvider"] = summary.ExecutionProvider, ["batch"] = r.GetValue(batch),
            });
            c.Result(string.Create(CultureInfo.InvariantCulture,
                $"scored {summary.Rows:N0} rows on {summary.ExecutionProvider} in {summary.Elapsed.TotalSeconds:F2} s ({rate:N0} rows/s); predictions in {summary.OutputPath}"));
            return Task.FromResult(0);
        });
        return cmd;
    }

    // --images: list the files, decode them with the model's image_decoder settings, score them in batches.
    private static int ScoreImages(CliConsole c, string modelPath, string[] filesOrFolders, string outPath, int batch, bool stop,
        OnnxBatchScorerOptions scoring, CancellationToken ct)
    {
        IReadOnlyList<string> files;
        try { files = OnnxImageScorer.FindImages(filesOrFolders); }
        catch (FileNotFoundException e) { throw new FileNotFoundException($"--images '{e.FileName}' does not exist (neither a file nor a folder). Check the path and the current directory.", e.FileName); }
        catch (Pipelines.Images.ImageFolderException e) { throw new ArgumentException($"--images '{e.Folder}' holds no .jpg, .jpeg or .png file (subfolders included). Give a folder of images or the image files."); }
        OnnxImageScorer scorer;
        try
        {
            scorer = new OnnxImageScorer(modelPath, new OnnxImageScorerOptions
            {
                Scoring = scoring, BadImages = stop ? Pipelines.Images.BadImagePolicy.Throw : Pipelines.Images.BadImagePolicy.Skip,
            });
        }
        catch (Pipelines.Data.SchemaException e)
        {
            throw new ArgumentException($"--model '{modelPath}': {e.Message.Replace("or score its features as data", "or score its features with --input", StringComparison.Ordinal)}");
        }
        using var _ = scorer;
        var last = TimeSpan.Zero;
        var progress = new SynchronousProgress<OnnxScoringProgress>(p =>
        {
            if (!c.ShowsProgress || p.Elapsed - last < TimeSpan.FromSeconds(1)) return;
            last = p.Elapsed;
            c.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {p.Rows:N0} of {files.Count:N0} images, {p.RowsPerSecond:N0} rows/s, {p.SkippedRows:N0} bad file(s) skipped"));
        });
        OnnxImageScoringSummary summary;
        try { summary = scorer.ScoreToCsv(files, outPath, progress, ct); }
        catch (Pipelines.Data.DataFormatException e) when (stop && e.FilePath is not null)
        {
            throw new Pipelines.Data.DataFormatException(e.Message.Replace("use BadImagePolicy.Skip (the default)", "score without --stop-on-bad-image", StringComparison.Ordinal));
        }
        var bad = new JsonArray(summary.FirstBadImages.Select(b => (JsonNode)new JsonObject { ["file"] = b.Path, ["problem"] = b.Problem }).ToArray());
        c.WriteJson(new JsonObject
        {
            ["out"] = summary.OutputPath, ["rows"] = summary.Rows, ["files"] = files.Count, ["badFiles"] = summary.BadImageCount, ["firstBadFiles"] = bad,
            ["badFilesMessage"] = summary.BadImagesMessage, ["seconds"] = summary.Elapsed.TotalSeconds, ["rowsPerSecond"] = summary.RowsPerSecond,
            ["executionProvider"] = summary.ExecutionProvider, ["batch"] = batch,
        });
        c.Result(string.Create(CultureInfo.InvariantCulture,
            $"scored {summary.Rows:N0} images on {summary.ExecutionProvider} in {summary.Elapsed.TotalSeconds:F2} s ({summary.RowsPerSecond:N0} rows/s); " +
            $"{summary.BadImagesMessage ?? "0 bad files"}; predictions in {summary.OutputPath}"));
        return 0;
    }

    internal static int? ParseDevice(string device)
    {
        if (device.Equals("cpu", StringComparison.OrdinalIgnoreCase)) return null;
        if (device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase))
        {
            var rest = device[4..].TrimStart(':');
            if (rest.Length == 0) return 0;
            if (int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out int id)) return id;
        }
        throw new ArgumentException($"--device must be 'cpu' or 'cuda:N' (e.g. cuda:0); got '{device}'.");
    }
}

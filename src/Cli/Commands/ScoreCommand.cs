using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Export.Scoring;
using Microsoft.ML;

namespace DlBook.Cli.Commands;

/// <summary>dlbook score: batch scoring of an ONNX model with ONNX Runtime (CPU or CUDA).</summary>
public static class ScoreCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("score", "Score data with an ONNX model on ONNX Runtime, streaming in batches, and write Row,PredictedLabel,Score_<class>… as CSV (atomically).");
        var model = new Option<string>("--model") { Description = "ONNX model file.", Required = true };
        var output = new Option<string>("--out") { Description = "Predictions CSV to write.", DefaultValueFactory = _ => "predictions.csv" };
        var batch = OptionRules.Int("--batch", "Rows per ONNX Runtime call (default 256).", 256, min: 1, max: 1_000_000);
        var device = new Option<string>("--device") { Description = "cpu, or cuda:N for ORT's CUDA execution provider.", DefaultValueFactory = _ => "cpu" };
        var fallback = new Option<bool>("--fallback-to-cpu") { Description = "With --device cuda:N, run on CPU with a warning when CUDA cannot be used." };
        var threads = OptionRules.Int("--threads", "ORT intra-op threads (0: ORT's choice).", 0, min: 0, max: 1024);
        foreach (var o in new Option[] { model, output, batch, device, fallback, threads }) cmd.Options.Add(o);
        var data = new DataInput(defaultSplit: "test");
        data.AddTo(cmd, withInput: true);
        cmd.SetAction((r, ct) =>
        {
            var c = console();
            int? gpu = ParseDevice(r.GetValue(device)!);
            using var scorer = new OnnxBatchScorer(r.GetValue(model)!, new OnnxBatchScorerOptions
            {
                BatchSize = r.GetValue(batch), GpuDeviceId = gpu, FallbackToCpu = r.GetValue(fallback),
                IntraOpNumThreads = r.GetValue(threads),
                Log = message => c.Warn(message.Replace("allow the CPU fallback", "pass --fallback-to-cpu", StringComparison.Ordinal)),
            });
            var loaded = data.Load(new MLContext(1), r);
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

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Trainers.Packaging;
using Microsoft.ML;

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
            var loaded = data.Load(ml, r);
            var clock = Stopwatch.StartNew();
            long rows = CliErrors.OnUserData($"{loaded.Source} with --model '{modelPath}'", () =>
            {
                var scoring = ModelSteps.ForScoring(m, loaded.View.Schema);
                // A CSV cell TextLoader cannot parse becomes NaN; fail naming it rather than write NaN predictions.
                Action<long>? onNaN = loaded.TextFile is null ? null : row => throw DataInput.NotANumber(loaded, row);
                return PredictionsCsv.Write(scoring.Transform(loaded.View), network, outPath, onNaN);
            });
            double seconds = clock.Elapsed.TotalSeconds;
            c.WriteJson(new JsonObject { ["model"] = Path.GetFullPath(modelPath), ["out"] = Path.GetFullPath(outPath), ["rows"] = rows, ["seconds"] = seconds });
            c.Result(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} predictions written to {Path.GetFullPath(outPath)} in {seconds:F2} s ({rows / Math.Max(seconds, 1e-9):N0} rows/s)"));
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Transforms.Chains;
using DlBook.Trainers.Packaging;

namespace DlBook.Cli.Commands;

/// <summary>dlbook predict: the engine's own predictions of a saved model, written as CSV.</summary>
public static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("predict", "Predict with a saved model (.dlbook) on the engine and write Row,PredictedLabel,Score_<class>… as CSV.");
        var model = new Option<string>("--model") { Description = "Model package (.dlbook).", Required = true };
        var output = new Option<string>("--out") { Description = "Predictions CSV to write (atomically).", DefaultValueFactory = _ => "predictions.csv" };
        cmd.Options.Add(model);
        cmd.Options.Add(output);
        var data = new DataInput();
        data.AddTo(cmd, withInput: true);
        cmd.SetAction(r =>
        {
            var c = console();
            var ctx = new DlContext(1);
            var modelPath = r.GetValue(model)!;
            var m = ctx.Model.Load(modelPath, out _);
            var network = ModelSteps.Network(m, modelPath);
            var view = data.Load(ctx, r);
            var scoring = ScoringChain.For(m, view.Schema);
            var clock = Stopwatch.StartNew();
            var columns = network.PredictedLabelColumnName is { } p ? new[] { p, network.ScoreColumnName } : [network.ScoreColumnName];
            long rows = ctx.Data.SaveAsText(scoring.Transform(view), r.GetValue(output)!, columns);
            double seconds = clock.Elapsed.TotalSeconds;
            c.WriteJson(new JsonObject { ["model"] = Path.GetFullPath(modelPath), ["out"] = Path.GetFullPath(r.GetValue(output)!), ["rows"] = rows, ["seconds"] = seconds });
            c.Result(string.Create(CultureInfo.InvariantCulture, $"{rows} predictions written to {Path.GetFullPath(r.GetValue(output)!)} in {seconds:F2} s ({rows / Math.Max(seconds, 1e-9):N0} rows/s)"));
            return 0;
        });
        return cmd;
    }
}

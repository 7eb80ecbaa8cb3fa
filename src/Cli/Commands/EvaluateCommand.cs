using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Pipelines.Schema;
using Microsoft.ML;
using DlBook.Trainers.Packaging;
using Spectre.Console;

namespace DlBook.Cli.Commands;

/// <summary>dlbook evaluate: metrics of a saved model on labelled data.</summary>
public static class EvaluateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("evaluate", "Evaluate a saved model (an ML.NET model zip) on labelled data: accuracy, log-loss, per-class precision/recall, confusion matrix.");
        var model = new Option<string>("--model") { Description = "Model package (an ML.NET model zip).", Required = true };
        cmd.Options.Add(model);
        var data = new DataInput();
        data.AddTo(cmd, withInput: false);
        cmd.SetAction(r =>
        {
            var c = console();
            var ml = new MLContext(1);
            var m = ModelFiles.Load(ml, r.GetValue(model)!, out _);
            var view = data.Load(ml, r, fallbackDataSet: "mnist");
            var network = ModelSteps.Network(m, r.GetValue(model)!);
            if (network.Outputs.Kind != PredictionKind.MulticlassClassification)
                throw new ArgumentException($"'evaluate' reports multiclass metrics; model '{r.GetValue(model)}' is a {network.Outputs.Kind} model.");
            var metrics = ml.MulticlassClassification.Evaluate(m.Transform(view));
            c.WriteJson(new JsonObject
            {
                ["model"] = Path.GetFullPath(r.GetValue(model)!),
                ["microAccuracy"] = metrics.MicroAccuracy, ["macroAccuracy"] = metrics.MacroAccuracy,
                ["logLoss"] = metrics.LogLoss, ["logLossReduction"] = metrics.LogLossReduction,
                ["perClassPrecision"] = new JsonArray(metrics.ConfusionMatrix.PerClassPrecision.Select(x => (JsonNode)x).ToArray()),
                ["perClassRecall"] = new JsonArray(metrics.ConfusionMatrix.PerClassRecall.Select(x => (JsonNode)x).ToArray()),
                ["confusionMatrix"] = new JsonArray(metrics.ConfusionMatrix.Counts.Select(row => (JsonNode)new JsonArray(row.Select(x => (JsonNode)x).ToArray())).ToArray()),
            });
            if (!c.Quiet)
            {
                var t = new Table().AddColumns("class", "precision", "recall");
                var cm = metrics.ConfusionMatrix;
                for (int i = 0; i < cm.NumberOfClasses; i++)
                    t.AddRow(Markup.Escape(network.LabelNames is { } n && i < n.Count ? n[i] : i.ToString(CultureInfo.InvariantCulture)), cm.PerClassPrecision[i].ToString("P2", CultureInfo.InvariantCulture), cm.PerClassRecall[i].ToString("P2", CultureInfo.InvariantCulture));
                c.Render(t);
                c.Info(cm.GetFormattedConfusionTable());
            }
            c.Result(string.Create(CultureInfo.InvariantCulture,
                $"accuracy {metrics.MicroAccuracy:P2} (macro {metrics.MacroAccuracy:P2}), log-loss {metrics.LogLoss:F4}, log-loss reduction {metrics.LogLossReduction:F4}"));
            return 0;
        });
        return cmd;
    }
}

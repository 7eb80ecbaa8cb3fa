using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Packaging;
using Microsoft.ML;
using Spectre.Console;

namespace DlBook.Cli.Commands;

/// <summary>dlbook evaluate: ML.NET's multiclass metrics of a saved model on labelled data.</summary>
public static class EvaluateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("evaluate", "Evaluate a saved model (.zip) on labelled data: accuracy, macro accuracy, log-loss, per-class precision/recall, confusion matrix.");
        var model = new Option<string>("--model") { Description = "Model file (an ML.NET model zip from 'dlbook train').", Required = true };
        cmd.Options.Add(model);
        var data = new DataInput(defaultSplit: "test");
        data.AddTo(cmd, withInput: false);
        cmd.SetAction(r =>
        {
            var c = console();
            var ml = new MLContext(seed: 1);
            var modelPath = r.GetValue(model)!;
            var m = ModelFiles.Load(ml, modelPath, out _);
            var network = ModelSteps.Network(m, modelPath);
            if (network.Outputs.Kind != PredictionKind.MulticlassClassification)
                throw new ArgumentException($"'evaluate' reports multiclass metrics; --model '{modelPath}' is a {network.Outputs.Kind} model.");
            var loaded = data.Load(ml, r, fallbackDataSet: "mnist");
            if (!loaded.HasLabels) throw new ArgumentException($"evaluate needs labels: give --labels with {loaded.Source}.");
            var metrics = CliErrors.OnUserData($"{loaded.Source} with --model '{modelPath}'",
                () => ml.MulticlassClassification.Evaluate(m.Transform(loaded.View)));
            var cm = metrics.ConfusionMatrix;
            var names = Enumerable.Range(0, cm.NumberOfClasses)
                .Select(i => network.LabelNames is { } l && i < l.Count ? l[i] : i.ToString(CultureInfo.InvariantCulture)).ToArray();
            c.WriteJson(new JsonObject
            {
                ["model"] = Path.GetFullPath(modelPath),
                ["data"] = loaded.Source,
                ["microAccuracy"] = metrics.MicroAccuracy, ["macroAccuracy"] = metrics.MacroAccuracy,
                ["logLoss"] = metrics.LogLoss, ["logLossReduction"] = metrics.LogLossReduction,
                ["classes"] = new JsonArray(names.Select(x => (JsonNode)x).ToArray()),
                ["perClassLogLoss"] = new JsonArray(metrics.PerClassLogLoss.Select(x => (JsonNode)x).ToArray()),
                ["perClassPrecision"] = new JsonArray(cm.PerClassPrecision.Select(x => (JsonNode)x).ToArray()),
                ["perClassRecall"] = new JsonArray(cm.PerClassRecall.Select(x => (JsonNode)x).ToArray()),
                ["confusionMatrix"] = new JsonArray(cm.Counts.Select(row => (JsonNode)new JsonArray(row.Select(x => (JsonNode)x).ToArray())).ToArray()),
            });
            if (!c.Quiet)
            {
                var inv = CultureInfo.InvariantCulture;
                var t = new Table().AddColumns("class", "precision", "recall", "log-loss");
                for (int i = 0; i < cm.NumberOfClasses; i++)
                    t.AddRow(Markup.Escape(names[i]), cm.PerClassPrecision[i].ToString("P2", inv), cm.PerClassRecall[i].ToString("P2", inv),
                        metrics.PerClassLogLoss[i].ToString("F4", inv));
                c.Render(t);
                var matrix = new Table().AddColumn("truth \\ predicted");
                foreach (var n in names) matrix.AddColumn(new TableColumn(Markup.Escape(n)).RightAligned());
                for (int i = 0; i < cm.NumberOfClasses; i++)
                    matrix.AddRow([Markup.Escape(names[i]), .. cm.Counts[i].Select(x => x.ToString("F0", inv))]);
                c.Render(new Markup("[bold]Confusion matrix[/] (rows: true class, columns: predicted class)\n"));
                c.Render(matrix);
            }
            c.Result(string.Create(CultureInfo.InvariantCulture,
                $"accuracy {metrics.MicroAccuracy:P2} (macro {metrics.MacroAccuracy:P2}), log-loss {metrics.LogLoss:F4}, log-loss reduction {metrics.LogLossReduction:F4} on {loaded.Source}"));
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Pipelines.Schema;
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
        var cmd = new Command("predict", "Predict with a saved model (an ML.NET model zip) on the engine and write Row,PredictedLabel,Score_<class>… as CSV.");
        var model = new Option<string>("--model") { Description = "Model zip (from dlbook train or mlContext.Model.Save).", Required = true };
        var output = new Option<string>("--out") { Description = "Predictions CSV to write (atomically).", DefaultValueFactory = _ => "predictions.csv" };
        cmd.Options.Add(model);
        cmd.Options.Add(output);
        var data = new DataInput();
        data.AddTo(cmd, withInput: true);
        cmd.SetAction(r =>
        {
            var c = console();
            var ml = new MLContext(1);
            var modelPath = r.GetValue(model)!;
            var network = ModelSteps.Network(ModelFiles.Load(ml, modelPath, out _), modelPath);
            var view = data.Load(ml, r);
            var clock = Stopwatch.StartNew();
            // The network alone: the chain's label mapping needs a label the input to predict on does not have.
            var scored = network.Transform(view);
            var outPath = Path.GetFullPath(r.GetValue(output)!);
            long rows = 0;
            AtomicText.Write(outPath, writer => rows = WriteCsv(scored, network.Outputs, network.LabelNames, writer));
            double seconds = clock.Elapsed.TotalSeconds;
            c.WriteJson(new JsonObject { ["model"] = Path.GetFullPath(modelPath), ["out"] = outPath, ["rows"] = rows, ["seconds"] = seconds });
            c.Result(string.Create(CultureInfo.InvariantCulture, $"{rows:N0} predictions written to {outPath} in {seconds:F2} s ({rows / Math.Max(seconds, 1e-9):N0} rows/s)"));
            return 0;
        });
        return cmd;
    }

    private static long WriteCsv(IDataView scored, ScoreColumns outputs, IReadOnlyList<string>? labels, TextWriter w)
    {
        var inv = CultureInfo.InvariantCulture;
        var schema = scored.Schema;
        var score = schema[ScoreColumns.Score];
        long n = 0;
        switch (outputs.Kind)
        {
            case PredictionKind.MulticlassClassification:
            {
                var predicted = schema[ScoreColumns.PredictedLabel];
                w.Write("Row,PredictedLabel");
                for (int k = 0; k < outputs.Classes; k++) w.Write($",Score_{Csv(labels is not null && k < labels.Count ? labels[k] : k.ToString(inv))}");
                w.Write('\n');
                using var cur = scored.GetRowCursor([score, predicted]);
                var gs = cur.GetGetter<VBuffer<float>>(score);
                var gp = cur.GetGetter<uint>(predicted);
                VBuffer<float> s = default;
                uint key = 0;
                var line = new StringBuilder();
                while (cur.MoveNext())
                {
                    gs(ref s);
                    gp(ref key);
                    line.Clear().Append(n.ToString(inv)).Append(',')
                        .Append(Csv(labels is not null && key >= 1 && key <= labels.Count ? labels[(int)key - 1] : (key - 1).ToString(inv)));
                    foreach (var v in s.DenseValues()) line.Append(',').Append(v.ToString("R", inv));
                    w.Write(line.Append('\n'));
                    n++;
                }
                break;
            }
            case PredictionKind.BinaryClassification:
            {
                var probability = schema[ScoreColumns.Probability];
                var predicted = schema[ScoreColumns.PredictedLabel];
                w.Write("Row,PredictedLabel,Score,Probability\n");
                using var cur = scored.GetRowCursor([score, probability, predicted]);
                var gs = cur.GetGetter<float>(score);
                var gq = cur.GetGetter<float>(probability);
                var gp = cur.GetGetter<bool>(predicted);
                float s = 0, q = 0;
                bool p = false;
                while (cur.MoveNext())
                {
                    gs(ref s); gq(ref q); gp(ref p);
                    w.Write(string.Create(inv, $"{n},{(p ? "true" : "false")},{s:R},{q:R}\n"));
                    n++;
                }
                break;
            }
            default:
            {
                w.Write("Row,Score\n");
                using var cur = scored.GetRowCursor([score]);
                var gs = cur.GetGetter<float>(score);
                float s = 0;
                while (cur.MoveNext())
                {
                    gs(ref s);
                    w.Write(string.Create(inv, $"{n},{s:R}\n"));
                    n++;
                }
                break;
            }
        }
        return n;
    }

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}

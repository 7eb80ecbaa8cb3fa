using System.CommandLine;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Trainers.Packaging;
using Microsoft.ML;
using DlBook.Export.Onnx;

namespace DlBook.Cli.Commands;

/// <summary>dlbook export: a saved model (an ML.NET model zip) to ONNX.</summary>
public static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("export", "Export a saved model (an ML.NET model zip) to ONNX, normalisation folded in; outputs Score and PredictedLabel (what ML.NET's ApplyOnnxModel picks up).");
        var model = new Option<string>("--model") { Description = "Model zip (from dlbook train or mlContext.Model.Save).", Required = true };
        var output = new Option<string>("--out") { Description = "ONNX file to write (atomically).", Required = true };
        var opset = new Option<int>("--opset") { Description = "ai.onnx opset, 13–21.", DefaultValueFactory = _ => OnnxExporter.DefaultOpset };
        cmd.Options.Add(model); cmd.Options.Add(output); cmd.Options.Add(opset);
        cmd.SetAction(r =>
        {
            var c = console();
            var ml = new MLContext(1);
            var m = ModelFiles.Load(ml, r.GetValue(model)!, out var schema);
            var info = ml.Model.ExportToOnnx(m, schema, r.GetValue(output)!, r.GetValue(opset));
            c.WriteJson(new JsonObject
            {
                ["out"] = Path.GetFullPath(r.GetValue(output)!), ["opset"] = info.Opset, ["input"] = info.InputName,
                ["inputShape"] = new JsonArray(info.InputShape.Select(x => (JsonNode)x).ToArray()),
                ["outputs"] = new JsonArray(info.Outputs.Select(x => (JsonNode)x).ToArray()), ["foldedSteps"] = info.FoldedSteps, ["nodes"] = info.NodeCount,
            });
            c.Result($"exported to {Path.GetFullPath(r.GetValue(output)!)}: opset {info.Opset}, input '{info.InputName}' [batch, {string.Join(", ", info.InputShape)}], outputs {string.Join(", ", info.Outputs)}, {info.NodeCount} nodes, {info.FoldedSteps} normaliser(s) folded");
            return 0;
        });
        return cmd;
    }
}

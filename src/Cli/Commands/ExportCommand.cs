using System.CommandLine;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Export.Onnx;
using DlBook.Trainers.Packaging;
using Microsoft.ML;
using static DlBook.Cli.Commands.OptionRules;

namespace DlBook.Cli.Commands;

/// <summary>dlbook export: a saved model (ML.NET model zip) to ONNX.</summary>
public static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("export", "Export a saved model (.zip) to ONNX, normalisation folded in; outputs Score and PredictedLabel (what ML.NET's ApplyOnnxModel picks up).");
        var model = new Option<string>("--model") { Description = "Model file (an ML.NET model zip from 'dlbook train').", Required = true };
        var output = new Option<string>("--out") { Description = "ONNX file to write (atomically).", Required = true };
        var opset = Int("--opset", $"ai.onnx opset, {OnnxExporter.MinOpset}–{OnnxExporter.MaxOpset}.", OnnxExporter.DefaultOpset, min: OnnxExporter.MinOpset, max: OnnxExporter.MaxOpset);
        cmd.Options.Add(model); cmd.Options.Add(output); cmd.Options.Add(opset);
        cmd.SetAction(r =>
        {
            var c = console();
            var ml = new MLContext(seed: 1);
            var modelPath = r.GetValue(model)!;
            var outPath = r.GetValue(output)!;
            var m = ModelFiles.Load(ml, modelPath, out var schema);
            var info = ml.Model.ExportToOnnx(m, schema, outPath, r.GetValue(opset));
            c.WriteJson(new JsonObject
            {
                ["model"] = Path.GetFullPath(modelPath), ["out"] = Path.GetFullPath(outPath), ["opset"] = info.Opset, ["input"] = info.InputName,
                ["inputShape"] = new JsonArray(info.InputShape.Select(x => (JsonNode)x).ToArray()),
                ["outputs"] = new JsonArray(info.Outputs.Select(x => (JsonNode)x).ToArray()), ["foldedSteps"] = info.FoldedSteps, ["nodes"] = info.NodeCount,
            });
            c.Result($"exported to {Path.GetFullPath(outPath)}: opset {info.Opset}, input '{info.InputName}' [batch, {string.Join(", ", info.InputShape)}], outputs {string.Join(", ", info.Outputs)}, {TrainCommand.Plural(info.NodeCount, "node")}, {info.FoldedSteps} normaliser(s) folded");
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Export.Serving;
using DlBook.Trainers.Packaging;
using Microsoft.ML;
using static DlBook.Cli.Commands.OptionRules;

namespace DlBook.Cli.Commands;

/// <summary>dlbook package: a Triton Inference Server model repository from a saved model or an ONNX file.</summary>
public static class PackageCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("package", "Write a Triton Inference Server model repository (<dir>/<name>/1/model.onnx + config.pbtxt, onnxruntime backend, dynamic batching).");
        var model = new Option<string>("--model") { Description = "Model file: an ML.NET model zip from 'dlbook train', or an ONNX file.", Required = true };
        var triton = new Option<string>("--triton") { Description = "Model repository folder to write into.", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name in the repository (default: the model file's name)." };
        var maxBatch = Int("--max-batch", "max_batch_size of the Triton config (0: no batching).", 256, min: 0);
        cmd.Options.Add(model); cmd.Options.Add(triton); cmd.Options.Add(name); cmd.Options.Add(maxBatch);
        cmd.SetAction(r =>
        {
            var c = console();
            var path = r.GetValue(model)!;
            var modelName = r.GetValue(name) ?? Path.GetFileNameWithoutExtension(path);
            var options = new TritonOptions { MaxBatchSize = r.GetValue(maxBatch) };
            TritonPackage package;
            if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                package = TritonPackager.Write(path, r.GetValue(triton)!, modelName, options);
            else
            {
                var ml = new MLContext(seed: 1);
                var m = ModelFiles.Load(ml, path, out var schema);
                package = TritonPackager.Write(m, schema, r.GetValue(triton)!, modelName, options);
            }
            c.WriteJson(new JsonObject { ["modelDirectory"] = package.ModelDirectory, ["model"] = package.ModelPath, ["config"] = package.ConfigPath });
            c.Result($"Triton model '{modelName}' written: {package.ModelPath} ({new FileInfo(package.ModelPath).Length:N0} bytes) and {package.ConfigPath}");
            c.Info(package.Config);
            return 0;
        });
        return cmd;
    }
}

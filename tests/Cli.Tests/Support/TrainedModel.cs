using System.Text.Json.Nodes;
using DlBook.TestSupport;

namespace DlBook.Cli.Tests.Support;

/// <summary>A small MNIST model trained once through the CLI (1 epoch on 5,000 rows) and shared by the tests of a class.</summary>
public sealed class TrainedModel : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("dlbook-e2e-").FullName;
    public string Model => Path.Combine(Dir, "m.zip");
    public CliRunner.Result Train { get; }
    public JsonNode TrainJson { get; }

    public TrainedModel()
    {
        Train = CliRunner.Run("train", "mlp", "--data-dir", SharedData.Root, "--hidden", "30", "--epochs", "1",
            "--train-rows", "5000", "--validation-rows", "1000", "--seed", "7", "--out", Model, "--json");
        TrainJson = JsonNode.Parse(Train.Out) ?? throw new InvalidOperationException("train --json wrote nothing: " + Train.Error);
    }

    public string Tmp(string name) => Path.Combine(Dir, name);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

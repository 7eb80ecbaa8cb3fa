using DlBook.TestSupport;

namespace DlBook.Cli.Tests.Support;

/// <summary>
/// A tiny dogs-vs-cats CNN trained once through the CLI (12 images a class at 24 × 24, 1 epoch; about a second), saved
/// as a model zip and exported to ONNX, with the training images copied to a temporary folder (never into the repository).
/// </summary>
public sealed class TrainedCnn : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("dlbook-score-images-").FullName;
    public string Images => Path.Combine(Dir, "images");
    public string Model => Path.Combine(Dir, "cnn.zip");
    public string Onnx => Path.Combine(Dir, "cnn.onnx");

    public TrainedCnn()
    {
        foreach (var c in new[] { "cats", "dogs" })
        {
            Directory.CreateDirectory(Path.Combine(Images, c));
            foreach (var f in Directory.GetFiles(Path.Combine(SharedData.Root, "dogs-vs-cats", "train", c), "*.jpg").Order(StringComparer.Ordinal).Take(12))
                File.Copy(f, Path.Combine(Images, c, Path.GetFileName(f)));
        }
        var train = CliRunner.Run("train", "cnn", "--data", Images, "--size", "24", "--epochs", "1", "--out", Model, "--quiet");
        if (train.ExitCode != 0) throw new InvalidOperationException("train cnn failed: " + train.Error);
        var export = CliRunner.Run("export", "--model", Model, "--out", Onnx, "--quiet");
        if (export.ExitCode != 0) throw new InvalidOperationException("export failed: " + export.Error);
        _mlpOnnx = new(() =>
        {
            var mlp = Tmp("mlp.zip");
            var t = CliRunner.Run("train", "mlp", "--data-dir", SharedData.Root, "--epochs", "1", "--train-rows", "500", "--validation-rows", "0", "--out", mlp, "--quiet");
            if (t.ExitCode != 0) throw new InvalidOperationException("train mlp failed: " + t.Error);
            var e = CliRunner.Run("export", "--model", mlp, "--out", Tmp("mlp.onnx"), "--quiet");
            if (e.ExitCode != 0) throw new InvalidOperationException("export mlp failed: " + e.Error);
            return Tmp("mlp.onnx");
        });
    }

    private readonly Lazy<string> _mlpOnnx;

    /// <summary>An MNIST MLP exported to ONNX (trained on first use): a model that does not start from image paths.</summary>
    public string MlpOnnx => _mlpOnnx.Value;

    public string Tmp(string name) => Path.Combine(Dir, name);

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

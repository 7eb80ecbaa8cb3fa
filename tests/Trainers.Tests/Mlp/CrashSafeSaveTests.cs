using System.Diagnostics;
using DlBook.TestSupport;
using DlBook.Trainers.Packaging;
using Microsoft.ML;

namespace DlBook.Trainers.Tests.Mlp;

/// <summary>A process killed (SIGKILL) while it saves a model leaves the previous complete file or the new one, never a truncated one.</summary>
public sealed class CrashSafeSaveTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-kill-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Killing_a_process_at_random_moments_while_it_saves_models_never_leaves_a_truncated_model_under_the_final_name()
    {
        var dll = ChildApp.Build(Saver, Path.Combine(_dir, "saver"));
        var model = Path.Combine(_dir, "model.zip");
        var rng = new Random(11);
        int kills = 0;
        for (int round = 0; round < 8; round++)
        {
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true };
            psi.ArgumentList.Add(dll);
            psi.ArgumentList.Add(model);
            using var p = Process.Start(psi)!;
            // Wait for the first complete save (so a previous file exists), then kill at a random moment of the next saves.
            var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("saved", line);
            await Task.Delay(rng.Next(0, 150));
            p.Kill();   // SIGKILL on Linux: no finally blocks, no flushing
            Assert.True(p.WaitForExit(10_000), "the killed saver did not exit");
            kills++;
            var ml = new MLContext();
            var loaded = ModelFiles.Load(ml, model, out _);   // the zip at the final name is always whole
            Assert.NotNull(loaded);
        }
        Assert.Equal(8, kills);
        // What a kill leaves behind is only temporary files, named so that nothing reads them as models.
        Assert.All(Directory.GetFiles(_dir).Where(f => f != model), f => Assert.EndsWith(".tmp", f));
    }

    /// <summary>The child: trains a small MLP once, then saves it again and again (printing "saved" after the first save).</summary>
    private const string Saver = """
        using DlBook.Trainers.Mlp;
        using DlBook.Trainers.Packaging;
        using Microsoft.ML;
        using Microsoft.ML.Data;
        var ml = new MLContext(seed: 1);
        var rng = new Random(1);
        var rows = Enumerable.Range(0, 200).Select(i => new Row { Features = Enumerable.Range(0, 64).Select(_ => (float)rng.NextDouble()).ToArray(), Label = i % 3 }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.Mlp(new MlpOptions { HiddenLayers = [256], Epochs = 1, MonitorGradients = false })).Fit(data);
        ModelFiles.Save(ml, model, data.Schema, args[0]);
        Console.WriteLine("saved");
        Console.Out.Flush();
        while (true) ModelFiles.Save(ml, model, data.Schema, args[0]);
        class Row { [VectorType(64)] public float[] Features { get; set; } = []; public float Label { get; set; } }
        """;
}

using System.Text.Json.Nodes;
using DlBook.Cli.Tests.Support;
using DlBook.TestSupport;

namespace DlBook.Cli.Tests.Commands;

/// <summary>dlbook train cnn on a small image folder, and dlbook predict on image files.</summary>
public sealed class TrainCnnCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-cnn-cli-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Folder(string split, int perClass)
    {
        var root = Path.Combine(_dir, split);
        foreach (var c in new[] { "cats", "dogs" })
        {
            Directory.CreateDirectory(Path.Combine(root, c));
            foreach (var f in Directory.GetFiles(Path.Combine(SharedData.Root, "dogs-vs-cats", split, c), "*.jpg").Order(StringComparer.Ordinal).Take(perClass))
                File.Copy(f, Path.Combine(root, c, Path.GetFileName(f)));
        }
        return root;
    }

    [Fact]
    public void A_cnn_trained_on_a_folder_classifies_image_files_and_names_an_unreadable_one()
    {
        var model = Path.Combine(_dir, "cnn.zip");
        var r = CliRunner.Run("train", "cnn", "--data", Folder("train", 16), "--validation", Folder("validation", 8), "--size", "24", "--epochs", "1", "--out", model, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var json = JsonNode.Parse(r.Out)!;
        Assert.InRange(json["validationAccuracy"]!.GetValue<double>(), 0, 1);
        Assert.Equal(["conv1", "conv2", "dense1", "dense2"], json["initialLearningSpeeds"]!.AsArray().Select(s => s!["layer"]!.GetValue<string>()));

        var cat = Directory.GetFiles(Path.Combine(_dir, "validation", "cats"))[0];
        var broken = Path.Combine(_dir, "broken.jpg");
        File.WriteAllBytes(broken, File.ReadAllBytes(cat)[..200]);   // a truncated JPEG
        var p = CliRunner.Run("predict", "--model", model, cat, broken);
        Assert.Equal(2, p.ExitCode);
        var line = p.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single();
        var fields = line.Split('\t');
        Assert.Equal(cat, fields[0]);
        Assert.Contains(fields[1], new[] { "cats", "dogs" });
        Assert.InRange(double.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1);
        Assert.Contains("broken.jpg", p.Error);
    }

    [Fact]
    public void Image_files_with_a_model_that_does_not_read_images_are_exit_2_saying_which_model_does()
    {
        var mlp = Path.Combine(_dir, "mlp.zip");
        Assert.Equal(0, CliRunner.Run("train", "mlp", "--data-dir", SharedData.Root, "--epochs", "1", "--train-rows", "500", "--validation-rows", "0", "--out", mlp, "--quiet").ExitCode);
        var r = CliRunner.Run("predict", "--model", mlp, "x.jpg");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("dlbook train cnn", r.Error);
    }
}

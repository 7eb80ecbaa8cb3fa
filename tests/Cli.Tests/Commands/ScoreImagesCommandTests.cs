using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Cli.Tests.Support;
using DlBook.Export.Scoring;
using DlBook.TestSupport;
using Microsoft.ML;

namespace DlBook.Cli.Tests.Commands;

/// <summary>dlbook score --images: image files and folders decoded with the model's image_decoder metadata and scored on ONNX Runtime.</summary>
public sealed class ScoreImagesCommandTests(TrainedCnn cnn) : IClassFixture<TrainedCnn>
{
    // Good images in a fresh folder, plus the given bad files (name → bytes).
    private string Folder(string name, int good, params (string Name, byte[] Bytes)[] bad)
    {
        var dir = cnn.Tmp(name);
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(Path.Combine(cnn.Images, "cats")).Order(StringComparer.Ordinal).Take(good))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        foreach (var (n, bytes) in bad) File.WriteAllBytes(Path.Combine(dir, n), bytes);
        return dir;
    }

    private static byte[] Truncated() => File.ReadAllBytes(Directory.GetFiles(Path.Combine(SharedData.Root, "dogs-vs-cats", "validation", "cats"), "*.jpg").Order(StringComparer.Ordinal).First())[..300];

    private static string[][] Rows(string csv) => File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToArray();

    [Fact]
    public void ScoreImages_of_a_folder_walks_it_sorted_and_matches_the_engines_predictions_of_the_model_zip()
    {
        var output = cnn.Tmp("folder.csv");
        var r = CliRunner.Run("score", "--model", cnn.Onnx, "--images", cnn.Images, "--out", output, "--batch", "5", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var json = JsonNode.Parse(r.Out)!;
        Assert.Equal(24, json["rows"]!.GetValue<long>());
        Assert.Equal(0, json["badFiles"]!.GetValue<int>());
        Assert.True(json["rowsPerSecond"]!.GetValue<double>() > 0);
        Assert.Equal("CPU", json["executionProvider"]!.GetValue<string>());

        Assert.Equal("Path,PredictedLabel,Probability,Score_cats,Score_dogs", File.ReadLines(output).First());
        var rows = Rows(output);
        var expectedOrder = Directory.GetFiles(cnn.Images, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expectedOrder, rows.Select(x => x[0]));   // cats/… then dogs/…, each sorted: the subfolders are walked

        var engine = CliRunner.Run(["predict", "--model", cnn.Model, .. expectedOrder, "--json"]);
        Assert.True(engine.ExitCode == 0, engine.Error);
        var predictions = JsonNode.Parse(engine.Out)!["predictions"]!.AsArray();
        Assert.Equal(rows.Length, predictions.Count);
        double worst = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(predictions[i]!["file"]!.GetValue<string>(), rows[i][0]);
            Assert.Equal(predictions[i]!["label"]!.GetValue<string>(), rows[i][1]);
            double p = double.Parse(rows[i][2], CultureInfo.InvariantCulture);
            worst = Math.Max(worst, Math.Abs(p - predictions[i]!["probability"]!.GetValue<double>()));
            // The per-class columns are 1 − p and p, and Probability is the predicted class's.
            double cats = double.Parse(rows[i][3], CultureInfo.InvariantCulture), dogs = double.Parse(rows[i][4], CultureInfo.InvariantCulture);
            Assert.Equal(rows[i][1] == "dogs" ? dogs : cats, p);
            Assert.InRange(Math.Abs(cats + dogs - 1), 0, 1e-6);
        }
        Assert.True(worst < 1e-4, $"max |engine − ORT| = {worst}");
    }

    [Fact]
    public void ScoreImages_skips_and_counts_a_zero_byte_a_truncated_and_a_text_file_named_jpg()
    {
        var dir = Folder("bad-skip", 3, ("empty.jpg", []), ("truncated.jpg", Truncated()), ("notes.jpg", "not an image\n"u8.ToArray()));
        var output = cnn.Tmp("bad-skip.csv");
        var r = CliRunner.Run("score", "--model", cnn.Onnx, "--images", dir, "--out", output, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var json = JsonNode.Parse(r.Out)!;
        Assert.Equal(3, json["rows"]!.GetValue<long>());
        Assert.Equal(6, json["files"]!.GetValue<int>());
        Assert.Equal(3, json["badFiles"]!.GetValue<int>());
        Assert.Equal(["empty.jpg", "notes.jpg", "truncated.jpg"], json["firstBadFiles"]!.AsArray().Select(b => Path.GetFileName(b!["file"]!.GetValue<string>())).Order(StringComparer.Ordinal));
        Assert.StartsWith("3 bad files skipped: first ", json["badFilesMessage"]!.GetValue<string>());
        var rows = Rows(output);
        Assert.Equal(3, rows.Length);
        Assert.DoesNotContain(rows, x => x[0].EndsWith("empty.jpg", StringComparison.Ordinal) || x[0].EndsWith("notes.jpg", StringComparison.Ordinal) || x[0].EndsWith("truncated.jpg", StringComparison.Ordinal));

        var human = CliRunner.Run("score", "--model", cnn.Onnx, "--images", dir, "--out", output);
        Assert.True(human.ExitCode == 0, human.Error);
        var last = human.Out.Trim().Split('\n')[^1];
        Assert.Contains("scored 3 images", last);
        Assert.Contains("rows/s", last);
        Assert.Contains("3 bad files skipped: first ", last);
        Assert.Contains("truncated.jpg", last);
    }

    [Fact]
    public void ScoreImages_with_stop_on_bad_image_stops_naming_the_file_and_writes_nothing()
    {
        var dir = Folder("bad-stop", 2, ("truncated.jpg", Truncated()));
        var output = cnn.Tmp("bad-stop.csv");
        var r = CliRunner.Run("score", "--model", cnn.Onnx, "--images", dir, "--out", output, "--stop-on-bad-image");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(Path.Combine(dir, "truncated.jpg"), r.Error);
        Assert.Contains("--stop-on-bad-image", r.Error);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(cnn.Dir, ".bad-stop.csv*"));
    }

    [Fact]
    public void ScoreImages_when_no_image_can_be_read_is_exit_2_and_writes_nothing()
    {
        var dir = Folder("all-bad", 0, ("empty.jpg", []));
        var output = cnn.Tmp("all-bad.csv");
        var r = CliRunner.Run("score", "--model", cnn.Onnx, "--images", dir, "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("None of the 1 images could be read", r.Error);
        Assert.Contains("empty.jpg", r.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ScoreImages_with_a_model_that_has_no_image_metadata_is_exit_2_naming_model()
    {
        var r = CliRunner.Run("score", "--model", cnn.MlpOnnx, "--images", cnn.Images, "--out", cnn.Tmp("mlp.csv"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--model", r.Error);
        Assert.Contains("mlp.onnx", r.Error);
        Assert.Contains("does not start from image paths", r.Error);
        Assert.Contains("LoadImagePixels", r.Error);
        Assert.False(File.Exists(cnn.Tmp("mlp.csv")));
    }

    [Fact]
    public void ScoreImages_one_idx_file_is_still_the_idx_images_of_the_data_options()
    {
        var r = CliRunner.Run("score", "--model", cnn.MlpOnnx, "--images", SharedData.Mnist("t10k-images-idx3-ubyte.gz"), "--out", cnn.Tmp("idx.csv"), "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(10_000, JsonNode.Parse(r.Out)!["rows"]!.GetValue<long>());
        Assert.StartsWith("Row,PredictedLabel,Score_", File.ReadLines(cnn.Tmp("idx.csv")).First());
    }

    [Fact]
    public void ScoreImages_with_input_too_is_an_error_naming_both()
    {
        var csv = cnn.Tmp("features.csv");
        File.WriteAllText(csv, "0,0\n");
        var r = CliRunner.Run("score", "--model", cnn.Onnx, "--images", cnn.Images, "--input", csv, "--out", cnn.Tmp("both.csv"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--images", r.Error);
        Assert.Contains("--input", r.Error);
        Assert.False(File.Exists(cnn.Tmp("both.csv")));
    }

    [Fact]
    public void ScoreImages_of_a_missing_path_is_exit_2_naming_images_and_the_path()
    {
        var missing = cnn.Tmp("no-such-folder");
        var r = CliRunner.Run("score", "--model", cnn.Onnx, "--images", Path.Combine(cnn.Images, "cats"), missing, "--out", cnn.Tmp("missing.csv"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--images", r.Error);
        Assert.Contains(missing, r.Error);
        Assert.False(File.Exists(cnn.Tmp("missing.csv")));
    }

    [Fact]
    public void ScoreImages_library_call_over_an_IDataView_of_paths_gives_the_same_rows_as_the_cli()
    {
        var files = OnnxImageScorer.FindImages([cnn.Images]);
        var cli = cnn.Tmp("cli-rows.csv");
        var r = CliRunner.Run(["score", "--model", cnn.Onnx, "--images", .. files, "--out", cli, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Error);

        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(files.Select(f => new ImageRow { ImagePath = f, Other = 1 }).ToArray());
        using var scorer = new OnnxImageScorer(cnn.Onnx, new OnnxImageScorerOptions { Scoring = new OnnxBatchScorerOptions { BatchSize = 7 } });
        Assert.Equal("ImagePath", scorer.ImagePathColumnName);
        Assert.Equal((24, 24), scorer.ImageSize);
        Assert.Equal(["cats", "dogs"], scorer.LabelNames!);
        var api = cnn.Tmp("api-rows.csv");
        var summary = scorer.ScoreToCsv(view, api);
        Assert.Equal(files.Count, summary.Rows);
        Assert.Equal(0, summary.BadImageCount);
        Assert.Null(summary.BadImagesMessage);
        Assert.True(summary.RowsPerSecond > 0);
        Assert.Equal(File.ReadAllLines(cli), File.ReadAllLines(api));
    }

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
        public float Other { get; set; }
    }
}

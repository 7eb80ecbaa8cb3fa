using System.Globalization;
using DlBook.Export.Scoring;
using DlBook.TestSupport;
using DlBook.Trainers.Cnn;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DlBook.Export.Tests.Integration;

/// <summary>
/// An image classifier as an app uses it: a model zip whose chain starts from the image path, loaded in a fresh
/// process, classifying single files through a PredictionEngine; the exported network scoring a folder in batches.
/// </summary>
public sealed class ImageAppTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-image-app-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public sealed class Scored
    {
        public string ImagePath { get; set; } = "";
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    [Fact]
    public void A_saved_image_chain_classifies_single_files_in_a_fresh_process_and_a_folder_in_batches_as_the_engine_does()
    {
        var ml = new MLContext(seed: 1);
        var root = Path.Combine(_dir, "images");
        foreach (var c in new[] { "cats", "dogs" })
        {
            Directory.CreateDirectory(Path.Combine(root, c));
            foreach (var f in Directory.GetFiles(Path.Combine(SharedData.Root, "dogs-vs-cats", "validation", c), "*.jpg").Order(StringComparer.Ordinal).Take(12))
                File.Copy(f, Path.Combine(root, c, Path.GetFileName(f)));
        }
        var images = ml.Data.LoadFromImageFolder(root);
        var chain = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImagePixels("Features", "ImagePath", 32, 32, ImageResizingEstimator.ResizingKind.Fill, scaleImage: 1f / 255))
            .Append(ml.BinaryClassification.Trainers.Cnn(new CnnOptions
            {
                ConvBlocks = [new ConvBlock { Filters = 8 }, new ConvBlock { Filters = 8 }], DenseLayers = [16], Epochs = 3, MonitorGradients = false,
            }));
        var model = chain.Fit(images);
        var expected = ml.Data.CreateEnumerable<Scored>(model.Transform(images), false).ToList();
        Assert.Equal(24, expected.Count);
        var zip = Path.Combine(_dir, "cnn.zip");
        ml.Model.Save(model, images.Schema, zip);

        // A fresh process: Model.Load, then one PredictionEngine call per file, as an app classifies an upload.
        var dll = ChildApp.Build(Probe, Path.Combine(_dir, "probe"));
        var (exit, output) = ChildApp.Exec(dll, _dir, [zip, .. expected.Select(e => e.ImagePath)]);
        Assert.True(exit == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(expected.Select(e => $"{e.ImagePath}|{e.PredictedLabel}|{BitConverter.SingleToInt32Bits(e.Probability):x8}"), lines);

        // The folder in batches: the network exported from its pixels, scored by the batch scorer over the decoded view.
        var pixelsView = ((IEnumerable<ITransformer>)model).Take(2).Aggregate(images, (v, t) => t.Transform(v));
        var network = ((IEnumerable<ITransformer>)model).Last();
        var onnx = Path.Combine(_dir, "cnn.onnx");
        ml.Model.ExportToOnnx(network, pixelsView.Schema, onnx);
        using var scorer = new OnnxBatchScorer(onnx, new OnnxBatchScorerOptions { BatchSize = 10 });
        var csv = Path.Combine(_dir, "scores.csv");
        Assert.Equal(24, scorer.ScoreToCsv(pixelsView, csv).Rows);
        var rows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToArray();
        for (int i = 0; i < 24; i++)
        {
            Assert.Equal(expected[i].PredictedLabel ? "true" : "false", rows[i][1]);
            Assert.InRange(Math.Abs(float.Parse(rows[i][2], CultureInfo.InvariantCulture) - expected[i].Probability), 0, 1e-4);
        }
    }

    [Fact]
    public void A_prediction_engine_given_an_unreadable_file_names_it()
    {
        var ml = new MLContext(seed: 1);
        var broken = Path.Combine(_dir, "broken.jpg");
        File.WriteAllText(broken, "not a jpeg");
        var data = ml.Data.LoadFromEnumerable(new[] { new Input { ImagePath = broken } });
        var pixels = ml.Transforms.LoadImagePixels("Features", "ImagePath", 8, 8).Fit(data);
        var engine = ml.Model.CreatePredictionEngine<Input, Pixels>(pixels);
        var e = Assert.Throws<DlBook.Pipelines.Data.DataFormatException>(() => engine.Predict(new Input { ImagePath = broken }));
        Assert.Contains(broken, e.Message);
        var ok = Directory.GetFiles(Path.Combine(SharedData.Root, "dogs-vs-cats", "validation", "cats"), "*.jpg").Order(StringComparer.Ordinal).First();
        Assert.Equal(3 * 8 * 8, engine.Predict(new Input { ImagePath = ok }).Features.Length);
    }

    public sealed class Input
    {
        public string ImagePath { get; set; } = "";
    }

    public sealed class Pixels
    {
        [VectorType(3, 8, 8)] public float[] Features { get; set; } = [];
    }

    private const string Probe = """
        using Microsoft.ML;
        var ml = new MLContext().RegisterDlBook();
        var model = ml.Model.Load(args[0], out _);
        var engine = ml.Model.CreatePredictionEngine<ImageInput, Prediction>(model);
        foreach (var path in args[1..])
        {
            var p = engine.Predict(new ImageInput { ImagePath = path });
            Console.WriteLine($"{path}|{p.PredictedLabel}|{BitConverter.SingleToInt32Bits(p.Probability):x8}");
        }
        class ImageInput { public string ImagePath { get; set; } = ""; public string Label { get; set; } = ""; }
        class Prediction { public bool PredictedLabel { get; set; } public float Probability { get; set; } }
        """;
}

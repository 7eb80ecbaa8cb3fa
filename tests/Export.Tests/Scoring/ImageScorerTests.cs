using System.Globalization;
using DlBook.Export.Scoring;
using DlBook.Export.Tests.Support;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Images;
using DlBook.TestSupport;
using DlBook.Trainers.Cnn;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DlBook.Export.Tests.Scoring;

/// <summary>
/// OnnxImageScorer: a multiclass CNN whose chain decodes with settings that are all not the defaults (crop anchor,
/// channel order, offset, scale, full decoding, path column), exported from the image path and scored from the paths:
/// the same classes and probabilities as the engine's Transform of the chain, so every setting was read from the metadata.
/// </summary>
public sealed class ImageScorerTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    public sealed class ImageRow
    {
        public string File { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private static readonly ImagePixelsOptions Decoder = new()
    {
        OutputColumnName = "Features", ImagePathColumnName = "File", Width = 20, Height = 16,
        Resizing = ImageResizingEstimator.ResizingKind.IsoCrop, CropAnchor = ImageResizingEstimator.Anchor.Top,
        ChannelOrder = ImageChannelOrder.Bgr, OffsetImage = 128, ScaleImage = 1f / 128, ScaledDecode = false,
    };

    [Fact]
    public void ImageScorer_scores_a_multiclass_cnn_from_image_paths_with_the_metadatas_decoder_and_matches_the_engine()
    {
        var ml = new MLContext(seed: 1);
        // Three classes: cats and dogs of train/, and the cats of extra/ as a third.
        var rows = new[] { ("train", "cats", "cat"), ("train", "dogs", "dog"), ("extra", "cats", "other") }
            .SelectMany(x => Directory.GetFiles(Path.Combine(SharedData.Root, "dogs-vs-cats", x.Item1, x.Item2), "*.jpg")
                .Order(StringComparer.Ordinal).Take(8).Select(p => new ImageRow { File = p, Label = x.Item3 })).ToArray();
        var images = ml.Data.LoadFromEnumerable(rows);
        var prep = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.LoadImagePixels(Decoder)).Fit(images);
        var cnn = ml.MulticlassClassification.Trainers.Cnn(new CnnOptions
        {
            ConvBlocks = [new ConvBlock { Filters = 4 }], DenseLayers = [8], Epochs = 2, MonitorGradients = false,
        }).Fit(ml.Data.Cache(prep.Transform(images)));
        var chain = prep.Append(cnn);
        var onnx = _dir.File("multi.onnx");
        ml.Model.ExportToOnnx(chain, images.Schema, onnx);

        using var scorer = new OnnxImageScorer(onnx, new OnnxImageScorerOptions { Scoring = new OnnxBatchScorerOptions { BatchSize = 5 } });
        Assert.Equal("File", scorer.ImagePathColumnName);
        Assert.Equal((20, 16), scorer.ImageSize);
        var output = _dir.File("multi.csv");
        var summary = scorer.ScoreToCsv(rows.Select(r => r.File), output);
        Assert.Equal(rows.Length, summary.Rows);

        var lines = File.ReadAllLines(output);
        Assert.Equal("Path,PredictedLabel,Probability,Score_cat,Score_dog,Score_other", lines[0]);
        var names = new[] { "cat", "dog", "other" };
        var engine = ml.Data.CreateEnumerable<Scored>(chain.Transform(images), false).ToArray();
        Assert.Contains(engine, e => e.Score.Max() < 0.95f);   // not saturated: the comparison means something
        double worst = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            var f = lines[i + 1].Split(',');
            Assert.Equal(rows[i].File, f[0]);
            Assert.Equal(names[engine[i].PredictedLabel - 1], f[1]);
            var scores = f[3..].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(scores.Max(), float.Parse(f[2], CultureInfo.InvariantCulture));
            for (int j = 0; j < 3; j++) worst = Math.Max(worst, Math.Abs(scores[j] - engine[i].Score[j]));
        }
        Assert.True(worst < 1e-4, $"max |engine − ORT| = {worst}");
    }

    [Fact]
    public void ImageScorer_over_an_IDataView_without_the_path_column_fails_naming_it_and_writes_nothing()
    {
        var ml = new MLContext(seed: 1);
        var rows = Directory.GetFiles(Path.Combine(SharedData.Root, "dogs-vs-cats", "train", "cats"), "*.jpg").Order(StringComparer.Ordinal).Take(4)
            .Select((p, i) => new ImageRow { File = p, Label = i % 2 == 0 ? "a" : "b" }).ToArray();
        var images = ml.Data.LoadFromEnumerable(rows);
        var prep = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.LoadImagePixels(Decoder)).Fit(images);
        var cnn = ml.BinaryClassification.Trainers.Cnn(new CnnOptions { ConvBlocks = [new ConvBlock { Filters = 2 }], DenseLayers = [4], Epochs = 1, MonitorGradients = false })
            .Fit(prep.Transform(images));
        var onnx = _dir.File("binary.onnx");
        ml.Model.ExportToOnnx(prep.Append(cnn), images.Schema, onnx);
        using var scorer = new OnnxImageScorer(onnx);
        var output = _dir.File("never.csv");
        var other = ml.Data.LoadFromEnumerable(rows.Select(r => new { ImagePath = r.File }).ToArray());
        var e = Assert.Throws<SchemaException>(() => scorer.ScoreToCsv(other, output));
        Assert.Contains("'File'", e.Message);
        Assert.False(File.Exists(output));
    }

    public sealed class Scored
    {
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }
}

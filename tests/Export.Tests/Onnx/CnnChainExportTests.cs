using DlBook.Export.Onnx;
using DlBook.Export.Tests.Support;
using DlBook.TestSupport;
using DlBook.Trainers.Cnn;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Transforms.Image;

namespace DlBook.Export.Tests.Onnx;

/// <summary>A CNN trained through ML.NET on decoded pixels, exported with [batch, 3, H, W] pixels as its input.</summary>
public sealed class CnnChainExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-cnn-onnx-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    public sealed class Scored
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    [Fact]
    public void A_fitted_cnn_exports_with_pixel_input_passes_the_checker_and_matches_the_engine_and_mlnets_ApplyOnnxModel()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[] { "cats", "dogs" }.SelectMany(c => Directory.GetFiles(Path.Combine(SharedData.Root, "dogs-vs-cats", "train", c), "*.jpg")
            .Order(StringComparer.Ordinal).Take(24).Select(p => new ImageRow { ImagePath = p, Label = c })).ToArray();
        var images = ml.Data.LoadFromEnumerable(rows);
        var prep = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImagePixels("Features", "ImagePath", 32, 32, ImageResizingEstimator.ResizingKind.Fill, scaleImage: 1f / 255)).Fit(images);
        var pixels = ml.Data.Cache(prep.Transform(images));
        var cnn = ml.BinaryClassification.Trainers.Cnn(new CnnOptions
        {
            ConvBlocks = [new ConvBlock { Filters = 8 }, new ConvBlock { Filters = 8, BatchNorm = true, Padding = "same" }],
            DenseLayers = [16], Epochs = 3, MonitorGradients = false, HorizontalFlip = true,
        }).Fit(pixels);

        var path = Path.Combine(_dir, "cnn.onnx");
        var info = ml.Model.ExportToOnnx(cnn, pixels.Schema, path);
        Assert.Equal(["Score", "Probability", "PredictedLabel"], info.Outputs);
        var (code, output) = OnnxChecker.Check(path);
        Assert.True(code == 0, output);
        using var session = new InferenceSession(path);
        Assert.Equal([-1, 3, 32, 32], session.InputMetadata["Features"].Dimensions);

        var expected = ml.Data.CreateEnumerable<Scored>(cnn.Transform(pixels), false).ToArray();
        var x = ml.Data.CreateEnumerable<PixelRow>(pixels, false).SelectMany(p => p.Features).ToArray();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(x, [rows.Length, 3, 32, 32]))]);
        var probability = results.First(r => r.Name == "Probability").AsTensor<float>().ToArray();
        var label = results.First(r => r.Name == "PredictedLabel").AsTensor<bool>().ToArray();
        Assert.Contains(expected, e => e.Probability is > 0.05f and < 0.95f);   // not saturated: the comparison means something
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.InRange(Math.Abs(probability[i] - expected[i].Probability), 0, 1e-4);
            Assert.Equal(expected[i].PredictedLabel, label[i]);
        }

        // ML.NET's own ApplyOnnxModel on the same pixels.
        var applied = ml.Transforms.ApplyOnnxModel(["Probability"], ["Features"], path).Fit(pixels).Transform(pixels);
        var viaMlNet = applied.GetColumn<float[]>("Probability").Select(p => p[0]).ToArray();
        for (int i = 0; i < rows.Length; i++) Assert.InRange(Math.Abs(viaMlNet[i] - expected[i].Probability), 0, 1e-4);

        // The chain from the image path: decoding is not an ONNX graph, so the graph starts at the pixels and its metadata
        // carries the decoder's settings (what dlbook score --images decodes with); the same probabilities.
        var whole = Path.Combine(_dir, "whole.onnx");
        ml.Model.ExportToOnnx(prep.Append(cnn), images.Schema, whole);
        using var wholeSession = new InferenceSession(whole);
        Assert.Equal([-1, 3, 32, 32], wholeSession.InputMetadata["Features"].Dimensions);
        var decoder = System.Text.Json.Nodes.JsonNode.Parse(wholeSession.ModelMetadata.CustomMetadataMap[OnnxMetadataKeys.ImageDecoder])!;
        Assert.Equal(32, (int)decoder["width"]!);
        Assert.Equal("Fill", (string)decoder["resizing"]!);
        Assert.Equal("ImagePath", (string)decoder["imagePathColumn"]!);
        Assert.Equal(1f / 255, (float)decoder["scaleImage"]!);
        Assert.True((bool)decoder["scaledDecode"]!);   // the chain's default, recorded so a scorer decodes the same pixels
        using var wholeResults = wholeSession.Run([NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(x, [rows.Length, 3, 32, 32]))]);
        var wholeProbability = wholeResults.First(r => r.Name == "Probability").AsTensor<float>().ToArray();
        for (int i = 0; i < rows.Length; i++) Assert.InRange(Math.Abs(wholeProbability[i] - expected[i].Probability), 0, 1e-4);
    }

    public sealed class PixelRow
    {
        [VectorType(3, 32, 32)] public float[] Features { get; set; } = [];
    }
}

using DlBook.TestSupport;
using DlBook.Trainers.Cnn;
using DlBook.Trainers.Networks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace DlBook.Trainers.Tests.Cnn;

/// <summary>The CNN trainer on ML.NET's catalogs: the book's network, ML.NET's own image pipeline, MNIST as [1, 28, 28].</summary>
public sealed class CnnTrainerTests(ITestOutputHelper output)
{
    public sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private static ImageRow[] DogsAndCats(string split, int perClass) =>
        new[] { "cats", "dogs" }.SelectMany(c => Directory.GetFiles(Path.Combine(SharedData.Root, "dogs-vs-cats", split, c), "*.jpg")
            .Order(StringComparer.Ordinal).Take(perClass).Select(p => new ImageRow { ImagePath = p, Label = c })).ToArray();

    [Fact]
    public void The_default_network_is_the_books_keras_cnn_with_813_217_parameters_at_64x64_and_trains_from_mlnets_own_image_pipeline()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(DogsAndCats("train", 40));
        // Exactly ML.NET's image path: the column ExtractPixels gives is Vector<Single, 3, 64, 64>, taken as it is.
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Image", 64, 64))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", scaleImage: 1f / 255))
            .Append(ml.BinaryClassification.Trainers.Cnn(new CnnOptions { Epochs = 1, GradientMonitorSamples = 16 }));
        var model = pipeline.Fit(data);
        var cnn = ((IEnumerable<ITransformer>)model).OfType<NetworkTransformer>().Single();
        Assert.Equal(TrainerKind.Cnn, cnn.Trainer);
        Assert.Equal(813_217, cnn.Model.Layers.Sum(l => l.Parameters.Sum(p => p.Shape.Aggregate(1L, (a, b) => a * b))));
        Assert.Equal(["conv1", "conv2", "dense1", "dense2"], cnn.History!.InitialLearningSpeeds!.Select(s => s.Layer));
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(data));
        output.WriteLine($"80 images, 1 epoch: accuracy {metrics.Accuracy:F3}, AUC {metrics.AreaUnderRocCurve:F3}");
        Assert.True(metrics.AreaUnderRocCurve > 0.6, $"training AUC {metrics.AreaUnderRocCurve}");   // it learnt something in one pass
    }

    [Fact]
    public void Mnist_as_1x28x28_images_trains_a_small_multiclass_cnn_above_90_percent()
    {
        var ml = new MLContext(seed: 1);
        var all = ml.Data.LoadFromIdx(SharedData.Mnist("train-images-idx3-ubyte.gz"), SharedData.Mnist("train-labels-idx1-ubyte.gz"));
        var keys = ml.Transforms.Conversion.MapValueToKey("Label");
        var train = ml.Data.TakeRows(all, 3_000);
        var test = ml.Data.TakeRows(ml.Data.SkipRows(all, 50_000), 1_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var model = keys.Append(ml.MulticlassClassification.Trainers.Cnn(new CnnOptions
        {
            ImageShape = [1, 28, 28],
            ConvBlocks = [new ConvBlock { Filters = 8, Kernel = 5 }, new ConvBlock { Filters = 16, Kernel = 3, BatchNorm = true }],
            DenseLayers = [32],
            Epochs = 3,
            GradientMonitorSamples = 64,
        })).Fit(train);
        // The bias-free convolution before batch norm is measured by its weights.
        var speeds = ((IEnumerable<ITransformer>)model).OfType<NetworkTransformer>().Single().History!.InitialLearningSpeeds!;
        Assert.Equal(["conv1", "conv2", "dense1", "dense2"], speeds.Select(s => s.Layer));
        Assert.False(speeds[1].HasBias);
        Assert.True(double.IsNaN(speeds[1].BiasGradientNorm) && speeds[1].WeightGradientNorm > 0);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        output.WriteLine($"3,000 images, 3 epochs: test accuracy {metrics.MicroAccuracy:F3} in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(metrics.MicroAccuracy > 0.9, $"accuracy {metrics.MicroAccuracy}");
    }

    [Fact]
    public void A_flat_feature_column_without_ImageShape_and_bad_blocks_are_errors_naming_the_fix()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.TakeRows(ml.Data.LoadFromIdx(SharedData.Mnist("t10k-images-idx3-ubyte.gz"), SharedData.Mnist("t10k-labels-idx1-ubyte.gz")), 20);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var e = Assert.Throws<Pipelines.Data.SchemaException>(() => ml.MulticlassClassification.Trainers.Cnn().Fit(keyed));
        Assert.Contains("ImageShape", e.Message);
        Assert.Contains("ExtractPixels", e.Message);
        Assert.Contains("Padding", Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.Cnn(new CnnOptions
        {
            ImageShape = [1, 28, 28], ConvBlocks = [new ConvBlock { Padding = "full" }],
        }).Fit(keyed)).Message);
    }
}

using DlBook.Engine.Activations;
using DlBook.Export.Onnx;
using DlBook.Export.Scoring;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Chains;
using DlBook.TestSupport;
using DlBook.Trainers.Mlp;
using DlBook.Trainers.Packaging;

namespace DlBook.Export.Tests.Readme;

/// <summary>
/// The README's quick start, statement for statement (fewer rows and one epoch so it runs in seconds): if an API it
/// shows is renamed or changes behaviour, this fails, and the README must change with it.
/// </summary>
public sealed class ReadmeQuickStartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-readme-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void QuickStartTrainsEvaluatesSavesExportsAndScoresWithOnnxRuntime()
    {
        var ctx = new DlContext(seed: 1);
        var all = ctx.Data.LoadIdx(SharedData.Mnist("train-images-idx3-ubyte.gz"), SharedData.Mnist("train-labels-idx1-ubyte.gz"));
        var train = ctx.Data.TakeRows(all, 5_000);                                   // README: 50_000
        var keys = ctx.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        var mlp = ctx.Trainers.Mlp(new MlpOptions
        {
            HiddenLayers = [30], Activation = Activation.Sigmoid, Cost = "CrossEntropy",
            Initializer = "Normal1OverFanIn", Epochs = 1, BatchSize = 10, LearningRate = 0.1f, L2 = 5.0f,   // README: 30 epochs
            ValidationSet = keys.Transform(ctx.Data.TakeRows(ctx.Data.SkipRows(all, 50_000), 2_000)),
        }).Fit(keys.Transform(train));
        var model = keys.Append(mlp);

        var test = ctx.Data.LoadIdx(SharedData.Mnist("t10k-images-idx3-ubyte.gz"), SharedData.Mnist("t10k-labels-idx1-ubyte.gz"));
        var metrics = ctx.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.InRange(metrics.MicroAccuracy, 0.75, 1.0);                            // one epoch on 5,000 images: ~83 %
        Assert.Equal(10, metrics.ConfusionMatrix.Counts.Count);

        string package = Path.Combine(_dir, "mnist.dlbook"), onnx = Path.Combine(_dir, "mnist.onnx");
        ctx.Model.Save(model, all.Schema, package);
        ctx.Model.ExportToOnnx(model, all.Schema, onnx);
        Assert.True(File.Exists(package));

        // No GPU here: gpuDeviceId 0 with fallbackToCpu runs on CPU, as the README promises.
        var scored = ctx.Transforms.ApplyOnnxModel(onnx, gpuDeviceId: 0, fallbackToCpu: true).Fit(test).Transform(test);
        var engine = model.Transform(test).GetBatches(new BatchOptions { BatchSize = 10_000, Columns = ["PredictedLabel"] }).Single().Get<KeyColumnData>("PredictedLabel").Keys;
        var ort = scored.GetBatches(new BatchOptions { BatchSize = 10_000, Columns = ["PredictedLabel"] }).Single().Get<KeyColumnData>("PredictedLabel").Keys;
        Assert.Equal(engine, ort);

        var epoch = Assert.Single(mlp.History!.Epochs);
        Assert.NotNull(epoch.ValidationAccuracy);
        Assert.All(epoch.LearningSpeeds!, s => Assert.True(s.BiasGradientNorm > 0));
    }
}

using DlBook.Engine.Activations;
using DlBook.TestSupport;
using DlBook.Trainers.Mlp;

namespace DlBook.Trainers.Tests.Mlp;

public class MlpPresetTests
{
    private static string BookPreset => Path.Combine(SharedData.RepoRoot, "models", "book-mlp.json");

    [Fact]
    public void TheBookPresetHoldsChapter34sSettings()
    {
        var o = MlpPreset.Load(BookPreset);
        Assert.Equal([30], o.HiddenLayers);
        Assert.Equal(Activation.Sigmoid, o.Activation);
        Assert.Equal((Cost.CrossEntropy, Initializer.Normal1OverFanIn, Initializer.StandardNormal), (o.Cost, o.Initializer, o.BiasInitializer));
        Assert.Equal((30, 10, 0.1f, 5.0f), (o.Epochs, o.BatchSize, o.LearningRate, o.L2));
        Assert.Equal([30, 30, 30, 30], MlpPreset.Load(BookPreset, "784-30-30-30-30-10").HiddenLayers);
        Assert.Equal(Initializer.StandardNormal, MlpPreset.Load(BookPreset, "large-init").Initializer);
    }

    [Fact]
    public void AnUnknownVariantOrOptionNamesTheFile()
    {
        var e = Assert.Throws<InvalidDataException>(() => MlpPreset.Load(BookPreset, "784-7-10"));
        Assert.Contains(BookPreset, e.Message);
        Assert.Contains("784-30-30-10", e.Message);
        var bad = Path.Combine(Path.GetTempPath(), $"preset-{Guid.NewGuid():N}.json");
        File.WriteAllText(bad, "{\"options\": {\"HiddenLayerz\": [3]}}");
        try
        {
            var e2 = Assert.Throws<InvalidDataException>(() => MlpPreset.Load(bad));
            Assert.Contains("HiddenLayerz", e2.Message);
        }
        finally { File.Delete(bad); }
    }
}

using DlBook.Pipelines.Bridge;
using DlBook.TestSupport;
using Microsoft.ML;

namespace DlBook.Export.Tests.Support;

/// <summary>The 10,000 MNIST test images (pixels in 0..1) and labels, loaded once through LoadFromIdx and the bridge.</summary>
internal static class Mnist
{
    private static readonly Lazy<(float[] Pixels, float[] Labels)> Test = new(() =>
    {
        var view = new MLContext().Data.LoadFromIdx(SharedData.Mnist("t10k-images-idx3-ubyte.gz"), SharedData.Mnist("t10k-labels-idx1-ubyte.gz"));
        using var rows = TrainingRows.Open(view, new BridgeColumns("Features", "Label", LabelKind.Single));
        var pixels = new float[Rows * 784];
        rows.Table!.GatherFeatures(null, 0, Rows, pixels);
        return (pixels, rows.Table.Targets![..Rows]);
    });

    public const int Rows = 10_000;
    public static float[] Pixels => Test.Value.Pixels;
    public static float[] Labels => Test.Value.Labels;

    /// <summary>The test set as ML.NET reads it.</summary>
    public static IDataView View(MLContext ml) =>
        ml.Data.LoadFromIdx(SharedData.Mnist("t10k-images-idx3-ubyte.gz"), SharedData.Mnist("t10k-labels-idx1-ubyte.gz"));
}

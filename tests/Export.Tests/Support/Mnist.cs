using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.TestSupport;

namespace DlBook.Export.Tests.Support;

/// <summary>The 10,000 MNIST test images (pixels in 0..1) and labels, loaded once through the pipelines' IDX loader.</summary>
internal static class Mnist
{
    private static readonly Lazy<(float[] Pixels, float[] Labels)> Test = new(() =>
    {
        var view = new DlContext().Data.LoadIdx(SharedData.Mnist("t10k-images-idx3-ubyte.gz"), SharedData.Mnist("t10k-labels-idx1-ubyte.gz"));
        var batch = view.GetBatches(new BatchOptions { BatchSize = 10_000 }).Single();
        var f = batch.Get<FloatColumnData>("Features");
        var l = batch.Get<FloatColumnData>("Label");
        return (f.Values[..(10_000 * 784)], l.Values[..10_000]);
    });

    public const int Rows = 10_000;
    public static float[] Pixels => Test.Value.Pixels;
    public static float[] Labels => Test.Value.Labels;
}

using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.TestSupport;

namespace DlBook.Trainers.Tests;

/// <summary>The real MNIST files, loaded once per test run (and cached in memory) for every test that trains.</summary>
internal static class MnistData
{
    private static readonly DlContext Context = new(seed: 0);

    private static readonly Lazy<IDataView> RawTrainView = new(() =>
        Context.Data.LoadIdx(SharedData.Mnist("train-images-idx3-ubyte.gz"), SharedData.Mnist("train-labels-idx1-ubyte.gz")));

    private static readonly Lazy<IDataView> KeyedTrainView = new(() =>
    {
        var raw = RawTrainView.Value;
        return Context.Data.Cache(Context.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw));
    });

    /// <summary>The 60,000 training images, Label a scalar digit (as the IDX loader gives it).</summary>
    public static IDataView RawTrain => RawTrainView.Value;

    /// <summary>The 60,000 training images with a Key label (digit d ↔ key d).</summary>
    public static IDataView Train => KeyedTrainView.Value;

    /// <summary>The 10,000 test images, Label a scalar digit.</summary>
    public static IDataView RawTest => Context.Data.LoadIdx(SharedData.Mnist("t10k-images-idx3-ubyte.gz"), SharedData.Mnist("t10k-labels-idx1-ubyte.gz"));

    /// <summary>Rows [skip, skip+take) of the keyed training set.</summary>
    public static IDataView TrainRows(int skip, int take) => Context.Data.TakeRows(Context.Data.SkipRows(Train, skip), take);
}

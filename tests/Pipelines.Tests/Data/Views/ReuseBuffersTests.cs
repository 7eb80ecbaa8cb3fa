using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.TestSupport;

namespace DlBook.Pipelines.Tests.Data.Views;

/// <summary>
/// <see cref="BatchOptions.ReuseBuffers"/>: a caller that is done with each batch before the next lets in-memory and
/// IDX views write the next batch into the same arrays; the values are those of fresh batches, and a batch of
/// another size (the last) gets arrays of its own exact size.
/// </summary>
public sealed class ReuseBuffersTests
{
    private static IDataView Mnist(DlContext ctx) =>
        ctx.Data.TakeRows(ctx.Data.LoadIdx(SharedData.Mnist("t10k-images-idx3-ubyte.gz"), SharedData.Mnist("t10k-labels-idx1-ubyte.gz")), 1_000);

    [Theory]
    [InlineData(null)]
    [InlineData(7ul)]
    public void ReusedBatchesHoldTheSameValuesAsFreshOnes(ulong? shuffle)
    {
        var ctx = new DlContext(seed: 1);
        var raw = Mnist(ctx);
        var view = ctx.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        var fresh = new BatchOptions { BatchSize = 64, ShuffleSeed = shuffle };
        var expected = view.GetBatches(fresh)
            .Select(b => (b.Get<FloatColumnData>("Features").Values.ToArray(), b.Get<KeyColumnData>("Label").Keys.ToArray())).ToList();

        var arrays = new List<float[]>();
        int i = 0;
        foreach (var b in view.GetBatches(fresh with { ReuseBuffers = true }))
        {
            var features = b.Get<FloatColumnData>("Features");
            Assert.Equal(expected[i].Item1, features.Values);
            Assert.Equal(expected[i].Item2, b.Get<KeyColumnData>("Label").Keys);
            Assert.Equal(b.RowCount * 784, features.Values.Length);
            arrays.Add(features.Values);
            i++;
        }

        Assert.Equal(expected.Count, i);
        // 1,000 rows in 64s: 15 full batches share one array; the last 40 rows get their own.
        Assert.Single(arrays.Take(15).Distinct());
        Assert.NotSame(arrays[0], arrays[^1]);
        Assert.Equal(40 * 784, arrays[^1].Length);
    }

    [Fact]
    public void WithoutReuseEveryBatchHasItsOwnArrays()
    {
        var ctx = new DlContext(seed: 1);
        var arrays = Mnist(ctx).GetBatches(new BatchOptions { BatchSize = 100, Columns = ["Features"] })
            .Select(b => b.Get<FloatColumnData>("Features").Values).ToList();
        Assert.Equal(10, arrays.Distinct().Count());
    }
}

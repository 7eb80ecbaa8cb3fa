using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Views;
using DlBook.TestSupport;

namespace DlBook.Pipelines.Tests.Catalogs;

/// <summary>TrainTestSplit, TakeRows/SkipRows, ShuffleRows and Cache.</summary>
public sealed class RowOperationsTests
{
    private readonly DlContext _ctx = new(1);

    private static float[] Ids(IDataView view, BatchOptions? options = null) => TestViews.Floats(view, "Id", options);

    private IDataView Streaming(int n) => _ctx.Data.LoadFromEnumerable(new CountingEnumerable<NumberRow>(NumberRow.Make(n)));
    private IDataView InMemory(int n) => _ctx.Data.Cache(_ctx.Data.LoadFromEnumerable(NumberRow.Make(n)));

    [Theory]
    [InlineData(100, 0.2, 20)]
    [InlineData(10, 0.25, 3)] // 2.5 rounds away from zero
    [InlineData(7, 0.5, 4)]   // 3.5 → 4
    [InlineData(60, 1.0 / 6, 10)]
    [InlineData(5, 0.0, 0)]
    [InlineData(5, 1.0, 5)]
    public void TrainTestSplitTakesRoundedFractionOfDisjointRowsCoveringAll(int n, double fraction, int testRows)
    {
        var split = _ctx.Data.TrainTestSplit(Streaming(n), fraction, seed: 3);
        var test = Ids(split.TestSet);
        var train = Ids(split.TrainSet);
        Assert.Equal(testRows, test.Length);
        Assert.Equal(n - testRows, train.Length);
        Assert.Equal(testRows, split.TestSet.RowCount);
        Assert.Equal(n - testRows, split.TrainSet.RowCount);
        Assert.Empty(test.Intersect(train));
        Assert.Equal(Enumerable.Range(0, n).Select(i => (float)i), test.Concat(train).Order());
        // Both sets keep the source order.
        Assert.Equal(test.Order(), test);
        Assert.Equal(train.Order(), train);
    }

    [Fact]
    public void TrainTestSplitIsReproducibleForASeedAndDiffersAcrossSeeds()
    {
        var data = InMemory(200);
        var a = Ids(_ctx.Data.TrainTestSplit(data, 0.3, seed: 5).TestSet);
        var b = Ids(_ctx.Data.TrainTestSplit(data, 0.3, seed: 5).TestSet);
        var c = Ids(_ctx.Data.TrainTestSplit(data, 0.3, seed: 6).TestSet);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        // Not simply the last (or first) rows.
        Assert.NotEqual(Enumerable.Range(140, 60).Select(i => (float)i), a);
        Assert.NotEqual(Enumerable.Range(0, 60).Select(i => (float)i), a);
        // Streaming and in-memory sources split the same way.
        Assert.Equal(a, Ids(_ctx.Data.TrainTestSplit(Streaming(200), 0.3, seed: 5).TestSet));
    }

    [Fact]
    public void TrainTestSplitWithoutASeedFollowsTheContextSeed()
    {
        float[] FirstTwoSplits(DlContext ctx)
        {
            var data = ctx.Data.LoadFromEnumerable(NumberRow.Make(100));
            return [.. Ids(ctx.Data.TrainTestSplit(data, 0.1).TestSet), .. Ids(ctx.Data.TrainTestSplit(data, 0.1).TestSet)];
        }
        var one = FirstTwoSplits(new DlContext(9));
        Assert.Equal(one, FirstTwoSplits(new DlContext(9)));
        Assert.NotEqual(one, FirstTwoSplits(new DlContext(10)));
        // Two successive draws of one context differ.
        Assert.NotEqual(one[..10], one[10..]);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void TrainTestSplitRejectsAFractionOutsideZeroOne(double fraction)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ctx.Data.TrainTestSplit(InMemory(10), fraction));
        Assert.Equal("testFraction", e.ParamName);
    }

    [Fact]
    public void TakeAndSkipGiveTheBooksFiftyTenThousandSplitOfMnist()
    {
        var train = _ctx.Data.LoadIdx(SharedData.Mnist("train-images-idx3-ubyte.gz"), SharedData.Mnist("train-labels-idx1-ubyte.gz"));
        var training = _ctx.Data.TakeRows(train, 50_000);
        var validation = _ctx.Data.SkipRows(train, 50_000);
        Assert.Equal(50_000, training.RowCount);
        Assert.Equal(10_000, validation.RowCount);
        Assert.Equal(train.Schema.Select(c => c.Name), validation.Schema.Select(c => c.Name));

        var all = TestViews.Floats(train, "Label");
        var first = TestViews.Floats(training, "Label");
        var rest = TestViews.Floats(validation, "Label");
        Assert.Equal(all[..50_000], first);
        Assert.Equal(all[50_000..], rest);
        Assert.Equal(new float[] { 5, 0, 4, 1, 9 }, first[..5]);
        Assert.Equal(new float[] { 3, 8, 6, 9, 6 }, rest[..5]);

        // The pixels of validation row 0 are those of training-file row 50,000.
        var expected = train.GetBatches(new BatchOptions { BatchSize = 10_000, Columns = ["Features"] }).ElementAt(5).Get<FloatColumnData>("Features").Row(0).ToArray();
        var actual = validation.GetBatches(new BatchOptions { BatchSize = 1, Columns = ["Features"] }).First().Get<FloatColumnData>("Features").Row(0).ToArray();
        Assert.Equal(expected, actual);
        Assert.Contains(actual, p => p > 0);

        // The book's other split: a sixth of 60,000 held out at random.
        var split = _ctx.Data.TrainTestSplit(train, 1.0 / 6, seed: 1);
        Assert.Equal(10_000, split.TestSet.RowCount);
        Assert.Equal(50_000, split.TrainSet.RowCount);
    }

    public static TheoryData<int, long, long, int> Ranges => new()
    {
        { 25, 0, 10, 4 }, { 25, 3, 10, 4 }, { 25, 3, 100, 4 }, { 25, 24, 5, 7 }, { 25, 30, 5, 3 },
        { 25, 5, 0, 4 }, { 25, 0, long.MaxValue, 25 }, { 25, 8, long.MaxValue, 1 }, { 25, 1, 23, 5 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void TakeAndSkipOfAStreamingViewSliceInFullBatches(int n, long skip, long take, int batchSize)
    {
        var view = Streaming(n);
        var range = skip == 0 ? _ctx.Data.TakeRows(view, take) : take == long.MaxValue ? _ctx.Data.SkipRows(view, skip)
            : _ctx.Data.TakeRows(_ctx.Data.SkipRows(view, skip), take);
        long from = Math.Min(skip, n), to = Math.Min(n, from + Math.Min(take, n));
        var expected = Enumerable.Range((int)from, (int)(to - from)).Select(i => (float)i).ToArray();
        var batches = range.GetBatches(new BatchOptions { BatchSize = batchSize }).ToList();
        Assert.Equal(expected, batches.SelectMany(b => b.Get<FloatColumnData>("Id").Values[..b.RowCount]));
        Assert.Equal(expected.Select(i => $"r{i}"), batches.SelectMany(b => b.Get<TextColumnData>("Name").Values));
        // Every batch but the last is full.
        Assert.All(batches.SkipLast(1), b => Assert.Equal(batchSize, b.RowCount));
        // The same rows from an in-memory source.
        var memory = InMemory(n);
        var fromMemory = skip == 0 ? _ctx.Data.TakeRows(memory, take) : take == long.MaxValue ? _ctx.Data.SkipRows(memory, skip)
            : _ctx.Data.TakeRows(_ctx.Data.SkipRows(memory, skip), take);
        Assert.Equal(expected, Ids(fromMemory));
        Assert.Equal(expected.Length, fromMemory.RowCount);
    }

    [Fact]
    public void TakeOfACollectionKnowsItsRowCountWithoutReading()
    {
        var source = NumberRow.Make(30).ToList();
        var take = _ctx.Data.TakeRows(_ctx.Data.SkipRows(_ctx.Data.LoadFromEnumerable(source), 25), 10);
        Assert.Equal(5, take.RowCount);
        Assert.Equal(new float[] { 25, 26, 27, 28, 29 }, Ids(take));
    }

    [Fact]
    public void TakeAndSkipRejectNegativeCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ctx.Data.TakeRows(InMemory(3), -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ctx.Data.SkipRows(InMemory(3), -1));
    }

    [Fact]
    public void ShuffleRowsFixesOneSeededPermutationForTheView()
    {
        var shuffled = _ctx.Data.ShuffleRows(Streaming(100), seed: 4);
        var first = Ids(shuffled);
        Assert.Equal(first, Ids(shuffled));
        Assert.Equal(first, Ids(shuffled, new BatchOptions { BatchSize = 7 }));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (float)i), first.Order());
        Assert.True(first.Where((id, i) => id != i).Count() > 90);
        Assert.Equal(first, Ids(_ctx.Data.ShuffleRows(InMemory(100), seed: 4)));
        Assert.NotEqual(first, Ids(_ctx.Data.ShuffleRows(InMemory(100), seed: 5)));
        // A shuffled pass over it is a permutation of the fixed order.
        Assert.Equal(first.Order(), Ids(shuffled, new BatchOptions { ShuffleSeed = 1 }).Order());
        // Rows stay whole.
        var x = TestViews.Floats(shuffled, "X");
        Assert.Equal(first.Select(i => 10 * i), x);
    }

    [Fact]
    public void ShuffleRowsWithoutASeedFollowsTheContextSeed()
    {
        float[] Shuffle(DlContext ctx) => Ids(ctx.Data.ShuffleRows(ctx.Data.LoadFromEnumerable(NumberRow.Make(50))));
        Assert.Equal(Shuffle(new DlContext(2)), Shuffle(new DlContext(2)));
        Assert.NotEqual(Shuffle(new DlContext(2)), Shuffle(new DlContext(3)));
    }

    [Fact]
    public void CacheReadsTheSourceOnceAndServesEveryLaterPass()
    {
        var source = new CountingEnumerable<NumberRow>(NumberRow.Make(40));
        var cached = _ctx.Data.Cache(_ctx.Data.LoadFromEnumerable(source));
        Assert.Equal(0, source.Passes);
        Assert.Null(cached.RowCount);
        var a = Ids(cached, new BatchOptions { BatchSize = 3 });
        var b = Ids(cached, new BatchOptions { ShuffleSeed = 1 });
        var c = TestViews.Texts(cached, "Name");
        Assert.Equal(1, source.Passes);
        Assert.Equal(40, cached.RowCount);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (float)i), a);
        Assert.Equal(a, b.Order());
        Assert.Equal(a.Select(i => $"r{i}"), c);
    }

    [Fact]
    public void CacheOfAnInMemoryViewIsTheViewItself()
    {
        var memory = new InMemoryDataView(new DataSchema([new("A", ScalarType.Instance)]),
            new Dictionary<string, ColumnData> { ["A"] = new FloatColumnData([1, 2], 2, 1) });
        Assert.Same(memory, _ctx.Data.Cache(memory));
    }
}

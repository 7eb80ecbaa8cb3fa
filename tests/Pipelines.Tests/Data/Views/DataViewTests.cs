using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Views;

namespace DlBook.Pipelines.Tests.Data.Views;

/// <summary>Batching behaviour shared by the three view kinds: in memory, streaming (an enumerable) and mapped (a transform).</summary>
public sealed class DataViewTests
{
    private readonly DlContext _ctx = new(1);

    public enum Kind { InMemory, Streaming, Mapped }

    /// <summary>A mapped view that adds X2 = 2·X and counts how often it computes it.</summary>
    private sealed class DoubledX(IDataView source)
        : MappedDataView(source, source.Schema.With(new DataColumn("X2", ScalarType.Instance)), ["X2"], ["X"])
    {
        public int MapCalls { get; private set; }

        protected override IReadOnlyDictionary<string, ColumnData> Map(DataBatch input)
        {
            MapCalls++;
            var x = input.Get<FloatColumnData>("X");
            var y = new float[x.RowCount];
            for (int r = 0; r < y.Length; r++) y[r] = 2 * x.Values[r];
            return new Dictionary<string, ColumnData> { ["X2"] = new FloatColumnData(y, y.Length, 1) };
        }
    }

    private static InMemoryDataView InMemory(int n)
    {
        var rows = NumberRow.Make(n);
        var schema = new DataSchema([new("Id", ScalarType.Instance), new("X", ScalarType.Instance), new("Name", TextType.Instance)]);
        return new InMemoryDataView(schema, new Dictionary<string, ColumnData>
        {
            ["Id"] = new FloatColumnData(rows.Select(r => r.Id).ToArray(), n, 1),
            ["X"] = new FloatColumnData(rows.Select(r => r.X).ToArray(), n, 1),
            ["Name"] = new TextColumnData(rows.Select(r => r.Name).ToArray()),
        });
    }

    private IDataView Make(Kind kind, int n) => kind switch
    {
        Kind.InMemory => InMemory(n),
        Kind.Streaming => _ctx.Data.LoadFromEnumerable(new CountingEnumerable<NumberRow>(NumberRow.Make(n))),
        _ => new DoubledX(_ctx.Data.LoadFromEnumerable(new CountingEnumerable<NumberRow>(NumberRow.Make(n)))),
    };

    private static float[] Ids(IDataView view, BatchOptions options) => TestViews.Floats(view, "Id", options);

    private static int[] BatchSizes(IDataView view, BatchOptions options) =>
        view.GetBatches(options).Select(b => b.RowCount).ToArray();

    [Theory]
    [InlineData(Kind.InMemory)]
    [InlineData(Kind.Streaming)]
    [InlineData(Kind.Mapped)]
    public void BatchesHoldBatchSizeRowsInOrderWithAShorterLastBatch(Kind kind)
    {
        var view = Make(kind, 10);
        Assert.Equal(new[] { 4, 4, 2 }, BatchSizes(view, new BatchOptions { BatchSize = 4 }));
        Assert.Equal(new[] { 10 }, BatchSizes(view, new BatchOptions { BatchSize = 256 }));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), Ids(view, new BatchOptions { BatchSize = 3 }));
        var names = view.GetBatches(new BatchOptions { BatchSize = 4 }).SelectMany(b => b.Get<TextColumnData>("Name").Values);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"r{i}"), names);
        Assert.Equal(new long[] { 0, 4, 8 }, view.GetBatches(new BatchOptions { BatchSize = 4 }).Select(b => b.FirstRow));
    }

    [Theory]
    [InlineData(Kind.InMemory)]
    [InlineData(Kind.Streaming)]
    [InlineData(Kind.Mapped)]
    public void DropLastDropsOnlyAShortFinalBatch(Kind kind)
    {
        var view = Make(kind, 10);
        Assert.Equal(new[] { 4, 4 }, BatchSizes(view, new BatchOptions { BatchSize = 4, DropLast = true }));
        Assert.Equal(new[] { 5, 5 }, BatchSizes(view, new BatchOptions { BatchSize = 5, DropLast = true }));
        Assert.Empty(BatchSizes(view, new BatchOptions { BatchSize = 11, DropLast = true }));
        Assert.Equal(new[] { 4, 4 }, BatchSizes(view, new BatchOptions { BatchSize = 4, DropLast = true, ShuffleSeed = 3 }));
        Assert.Equal(8, Ids(view, new BatchOptions { BatchSize = 4, DropLast = true, ShuffleSeed = 3 }).Distinct().Count());
    }

    [Theory]
    [InlineData(Kind.InMemory)]
    [InlineData(Kind.Streaming)]
    [InlineData(Kind.Mapped)]
    public void ColumnsSubsetMaterialisesOnlyTheRequestedColumns(Kind kind)
    {
        var view = Make(kind, 5);
        var batch = Assert.Single(view.GetBatches(new BatchOptions { Columns = ["Name", "Id", "Name"] }));
        Assert.Equal(new[] { "Id", "Name" }, batch.Columns.Keys.Order());
        Assert.Equal(new[] { "r0", "r1", "r2", "r3", "r4" }, batch.Get<TextColumnData>("Name").Values);
        Assert.Throws<SchemaException>(() => batch.Get<FloatColumnData>("X"));
        var all = Assert.Single(view.GetBatches(new BatchOptions()));
        Assert.Equal(view.Schema.Select(c => c.Name).Order(), all.Columns.Keys.Order());
    }

    [Theory]
    [InlineData(Kind.InMemory)]
    [InlineData(Kind.Streaming)]
    [InlineData(Kind.Mapped)]
    public void ShuffleSeedIsASeededPermutationVisitingEveryRowOnce(Kind kind)
    {
        const int n = 1000;
        var view = Make(kind, n);
        var a = Ids(view, new BatchOptions { BatchSize = 64, ShuffleSeed = 7 });
        var again = Ids(view, new BatchOptions { BatchSize = 64, ShuffleSeed = 7 });
        var b = Ids(view, new BatchOptions { BatchSize = 64, ShuffleSeed = 8 });
        Assert.Equal(Enumerable.Range(0, n).Select(i => (float)i), a.Order());
        Assert.Equal(Enumerable.Range(0, n).Select(i => (float)i), b.Order());
        Assert.Equal(a, again);
        Assert.NotEqual(a, b);
        // Not the identity: far more than a handful of rows move.
        Assert.True(a.Where((id, i) => id != i).Count() > n * 0.9);
        // The batch size does not change the order, only where the batches break.
        Assert.Equal(a, Ids(view, new BatchOptions { BatchSize = 1000, ShuffleSeed = 7 }));
        Assert.All(view.GetBatches(new BatchOptions { BatchSize = 64, ShuffleSeed = 7 }), batch => Assert.Equal(-1, batch.FirstRow));
    }

    [Theory]
    [InlineData(Kind.InMemory)]
    [InlineData(Kind.Streaming)]
    [InlineData(Kind.Mapped)]
    public void ShuffledColumnsStayAlignedRowByRow(Kind kind)
    {
        var view = Make(kind, 50);
        foreach (var batch in view.GetBatches(new BatchOptions { BatchSize = 16, ShuffleSeed = 11 }))
        {
            var id = batch.Get<FloatColumnData>("Id");
            var x = batch.Get<FloatColumnData>("X");
            var name = batch.Get<TextColumnData>("Name");
            for (int r = 0; r < batch.RowCount; r++)
            {
                Assert.Equal(10 * id.Values[r], x.Values[r]);
                Assert.Equal($"r{id.Values[r]}", name.Values[r]);
            }
        }
    }

    [Fact]
    public void TheSameSeedGivesTheSameOrderWhateverTheKindOfView()
    {
        var options = new BatchOptions { BatchSize = 32, ShuffleSeed = 123 };
        var expected = Ids(Make(Kind.InMemory, 100), options);
        Assert.Equal(expected, Ids(Make(Kind.Streaming, 100), options));
        Assert.Equal(expected, Ids(Make(Kind.Mapped, 100), options));
    }

    [Theory]
    [InlineData(Kind.InMemory)]
    [InlineData(Kind.Streaming)]
    [InlineData(Kind.Mapped)]
    public void AnUnknownColumnIsASchemaErrorNamingTheAvailableColumnsBeforeEnumerating(Kind kind)
    {
        var view = Make(kind, 3);
        var e = Assert.Throws<SchemaException>(() => view.GetBatches(new BatchOptions { Columns = ["Id", "Pixels"] }));
        Assert.Contains("'Pixels'", e.Message);
        Assert.Contains("Available columns: Id (Single), X (Single), Name (String)", e.Message);
        Assert.Throws<SchemaException>(() => view.GetBatches(new BatchOptions { Columns = ["Pixels"], ShuffleSeed = 1 }));
        Assert.Throws<SchemaException>(() => view.Schema["Pixels"]);
    }

    [Theory]
    [InlineData(Kind.InMemory, 0)]
    [InlineData(Kind.InMemory, -1)]
    [InlineData(Kind.Streaming, 0)]
    [InlineData(Kind.Streaming, -5)]
    [InlineData(Kind.Mapped, 0)]
    [InlineData(Kind.Mapped, -1)]
    public void ANonPositiveBatchSizeIsRejectedBeforeEnumerating(Kind kind, int batchSize)
    {
        var view = Make(kind, 3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => view.GetBatches(new BatchOptions { BatchSize = batchSize }));
        Assert.Contains($"got {batchSize}", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => view.GetBatches(new BatchOptions { BatchSize = batchSize, ShuffleSeed = 1 }));
    }

    [Fact]
    public void RowCountIsKnownInMemoryAndForCollectionsButNotForAPlainEnumerable()
    {
        Assert.Equal(7, InMemory(7).RowCount);
        Assert.Equal(7, _ctx.Data.LoadFromEnumerable(NumberRow.Make(7)).RowCount);
        var streamed = _ctx.Data.LoadFromEnumerable(new CountingEnumerable<NumberRow>(NumberRow.Make(7)));
        Assert.Null(streamed.RowCount);
        Assert.Null(new DoubledX(streamed).RowCount);
        Assert.Equal(7, new DoubledX(InMemory(7)).RowCount);
    }

    [Fact]
    public void AStreamingViewReadsItsSourceOnEveryPassButShufflesFromOneCachedRead()
    {
        var source = new CountingEnumerable<NumberRow>(NumberRow.Make(20));
        var view = _ctx.Data.LoadFromEnumerable(source);
        Assert.Equal(0, source.Passes);
        Ids(view, new BatchOptions());
        Ids(view, new BatchOptions());
        Assert.Equal(2, source.Passes);
        Ids(view, new BatchOptions { ShuffleSeed = 1 });
        Ids(view, new BatchOptions { ShuffleSeed = 2 });
        Assert.Equal(3, source.Passes);
        Assert.Equal(20, view.RowCount); // known once the shuffle cache is filled
    }

    [Fact]
    public void AMappedViewComputesOnlyWhenAProducedColumnIsRequested()
    {
        var view = new DoubledX(InMemory(10));
        Assert.Equal(new[] { "Id", "X", "Name", "X2" }, view.Schema.Select(c => c.Name));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), Ids(view, new BatchOptions { BatchSize = 4 }));
        Assert.Equal(0, view.MapCalls);
        var x2 = TestViews.Floats(view, "X2", new BatchOptions { BatchSize = 4 });
        Assert.Equal(Enumerable.Range(0, 10).Select(i => 20f * i), x2);
        Assert.Equal(3, view.MapCalls);
        // The produced column alone: the input X is read from the source but not handed out.
        var batch = view.GetBatches(new BatchOptions { Columns = ["X2"] }).First();
        Assert.Equal(new[] { "X2" }, batch.Columns.Keys);
    }

    [Fact]
    public void AMappedViewChecksItsInputColumnsWhenCreated()
    {
        var noX = _ctx.Data.LoadFromEnumerable(new[] { new VectorRow() });
        var e = Assert.Throws<SchemaException>(() => new DoubledX(noX));
        Assert.Contains("'X'", e.Message);
        Assert.Contains("V (Vector<Single>[3])", e.Message);
    }

    [Fact]
    public void EveryEnumerationHandsOutFreshBuffers()
    {
        var view = InMemory(4);
        var first = view.GetBatches(new BatchOptions()).Single().Get<FloatColumnData>("X");
        first.Values[0] = -1;
        Assert.Equal(0f, TestViews.Floats(view, "X")[0]);
    }

    [Fact]
    public void AnInMemoryViewNeedsEveryColumnWithTheSameRowCount()
    {
        var schema = new DataSchema([new("A", ScalarType.Instance), new("B", ScalarType.Instance)]);
        var e = Assert.Throws<ArgumentException>(() => new InMemoryDataView(schema, new Dictionary<string, ColumnData>
        {
            ["A"] = new FloatColumnData([1, 2, 3], 3, 1),
            ["B"] = new FloatColumnData([1, 2], 2, 1),
        }));
        Assert.Contains("'B'", e.Message);
        Assert.Throws<ArgumentException>(() => new InMemoryDataView(schema, new Dictionary<string, ColumnData> { ["A"] = new FloatColumnData([1], 1, 1) }));
    }

    [Fact]
    public void VectorAndKeyColumnsAreGatheredWholeRowsAtATime()
    {
        var schema = new DataSchema([new("V", new VectorType([2, 2])), new("K", new KeyType(3, ["a", "b", "c"]))]);
        var view = new InMemoryDataView(schema, new Dictionary<string, ColumnData>
        {
            ["V"] = new FloatColumnData([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23], 3, 4),
            ["K"] = new KeyColumnData([2, 0, 1], 3),
        });
        var batches = view.GetBatches(new BatchOptions { BatchSize = 2, ShuffleSeed = 5 }).ToList();
        var keys = batches.SelectMany(b => b.Get<KeyColumnData>("K").Keys).ToArray();
        var vectors = batches.SelectMany(b => b.Get<FloatColumnData>("V").Values[..(b.RowCount * 4)]).ToArray();
        Assert.Equal(new uint[] { 0, 1, 2 }, keys.Order());
        var keyOfRow = new uint[] { 2, 0, 1 };
        for (int r = 0; r < 3; r++)
        {
            int source = Array.IndexOf(keyOfRow, keys[r]);
            Assert.Equal(new float[] { 10 * source, 10 * source + 1, 10 * source + 2, 10 * source + 3 }, vectors[(r * 4)..(r * 4 + 4)]);
        }
    }

    [Fact]
    public void BatchColumnsMustMatchTheBatchRowCountAndAreTyped()
    {
        Assert.Throws<ArgumentException>(() => new DataBatch(3, new Dictionary<string, ColumnData> { ["A"] = new FloatColumnData([1, 2], 2, 1) }));
        var batch = new DataBatch(2, new Dictionary<string, ColumnData> { ["A"] = new FloatColumnData([1, 2], 2, 1) });
        var wrongKind = Assert.Throws<SchemaException>(() => batch.Get<KeyColumnData>("A"));
        Assert.Contains("FloatColumnData", wrongKind.Message);
        var absent = Assert.Throws<SchemaException>(() => batch.Get<FloatColumnData>("B"));
        Assert.Contains("present: A", absent.Message);
        var replaced = batch.With("A", new FloatColumnData([5, 6], 2, 1)).With("B", new TextColumnData(["x", "y"]));
        Assert.Equal(new[] { 5f, 6f }, replaced.Get<FloatColumnData>("A").Values);
        Assert.Equal(new[] { 1f, 2f }, batch.Get<FloatColumnData>("A").Values);
    }

    [Fact]
    public void SchemaNamesAreUniqueAndWithReplacesInPlace()
    {
        Assert.Throws<ArgumentException>(() => new DataSchema([new("A", ScalarType.Instance), new("A", TextType.Instance)]));
        var schema = new DataSchema([new("A", ScalarType.Instance), new("B", ScalarType.Instance)]);
        var replaced = schema.With(new DataColumn("A", TextType.Instance));
        Assert.Equal(new[] { "A", "B" }, replaced.Select(c => c.Name));
        Assert.Equal(TextType.Instance, replaced["A"].Type);
        Assert.Equal(new[] { "A", "B", "C" }, schema.With(new DataColumn("C", ScalarType.Instance)).Select(c => c.Name));
        Assert.Null(schema.GetColumnOrNull("C"));
        Assert.Equal(new VectorType([28, 28]), new VectorType([28, 28]));
        Assert.Equal(784, new VectorType([28, 28]).Size);
    }
}

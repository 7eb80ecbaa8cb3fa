using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Tests.Data.Views;

/// <summary>Variable-length sequence and image columns through caching, shuffling and streamed Take/Skip.</summary>
public sealed class SequenceAndImageColumnTests
{
    private readonly DlContext _ctx = new(1);

    /// <summary>A view that can only stream: row i has Id i, a sequence of i % 4 steps of 2 floats (i, −step) and a 2×1×1 image (i, 255 − i).</summary>
    private sealed class StreamOnly(int rows) : IDataView
    {
        public int Passes { get; private set; }

        public DataSchema Schema { get; } = new([new("Id", ScalarType.Instance), new("Seq", new SequenceType([2])), new("Img", new ImageType(2, 1, 1))]);

        public long? RowCount => null;

        public IEnumerable<DataBatch> GetBatches(BatchOptions options)
        {
            Passes++;
            var columns = options.Columns ?? Schema.Select(c => c.Name).ToArray();
            for (int start = 0; start < rows; start += options.BatchSize)
            {
                int n = Math.Min(options.BatchSize, rows - start);
                var data = new Dictionary<string, ColumnData>();
                if (columns.Contains("Id")) data["Id"] = new FloatColumnData(Enumerable.Range(start, n).Select(i => (float)i).ToArray(), n, 1);
                if (columns.Contains("Seq"))
                {
                    var offsets = new int[n + 1];
                    var values = new List<float>();
                    for (int r = 0; r < n; r++)
                    {
                        int i = start + r;
                        for (int step = 0; step < i % 4; step++) values.AddRange([i, -step]);
                        offsets[r + 1] = offsets[r] + i % 4;
                    }
                    data["Seq"] = new SequenceColumnData(values.ToArray(), offsets, 2);
                }
                if (columns.Contains("Img"))
                    data["Img"] = new ImageColumnData(Enumerable.Range(start, n).SelectMany(i => new[] { (byte)i, (byte)(255 - i) }).ToArray(), n, 2, 1, 1);
                yield return new DataBatch(n, data, start);
            }
        }
    }

    private static void AssertRowsConsistent(IDataView view, BatchOptions options, int[] expectedIds)
    {
        var ids = new List<int>();
        foreach (var batch in view.GetBatches(options))
        {
            var id = batch.Get<FloatColumnData>("Id");
            var seq = batch.Get<SequenceColumnData>("Seq");
            var img = batch.Get<ImageColumnData>("Img");
            Assert.Equal((2, 1, 1), (img.Height, img.Width, img.Channels));
            for (int r = 0; r < batch.RowCount; r++)
            {
                int i = (int)id.Values[r];
                ids.Add(i);
                Assert.Equal(i % 4, seq.Length(r));
                var steps = seq.Values.AsSpan(seq.Offsets[r] * 2, seq.Length(r) * 2).ToArray();
                Assert.Equal(Enumerable.Range(0, i % 4).SelectMany(step => new float[] { i, -step }), steps);
                Assert.Equal(new[] { (byte)i, (byte)(255 - i) }, img.Pixels[(r * 2)..(r * 2 + 2)]);
            }
        }
        Assert.Equal(expectedIds, ids);
    }

    [Fact]
    public void ACachedStreamKeepsSequencesAndImagesRowByRowWhenShuffled()
    {
        var source = new StreamOnly(23);
        var cached = _ctx.Data.Cache(source);
        AssertRowsConsistent(cached, new BatchOptions { BatchSize = 5 }, Enumerable.Range(0, 23).ToArray());
        var shuffled = cached.GetBatches(new BatchOptions { BatchSize = 4, ShuffleSeed = 9, Columns = ["Id"] })
            .SelectMany(b => b.Get<FloatColumnData>("Id").Values[..b.RowCount]).Select(v => (int)v).ToArray();
        Assert.Equal(Enumerable.Range(0, 23), shuffled.Order());
        Assert.NotEqual(Enumerable.Range(0, 23), shuffled);
        AssertRowsConsistent(cached, new BatchOptions { BatchSize = 4, ShuffleSeed = 9 }, shuffled);
        Assert.Equal(1, source.Passes);
    }

    [Fact]
    public void StreamedTakeAndSkipMergeSequencesAndImagesAcrossSourceBatches()
    {
        var range = _ctx.Data.TakeRows(_ctx.Data.SkipRows(new StreamOnly(30), 5), 17);
        AssertRowsConsistent(range, new BatchOptions { BatchSize = 6 }, Enumerable.Range(5, 17).ToArray());
        Assert.Equal(new[] { 6, 6, 5 }, range.GetBatches(new BatchOptions { BatchSize = 6 }).Select(b => b.RowCount));
    }

    [Fact]
    public void ASplitOfAStreamKeepsWholeRows()
    {
        var split = _ctx.Data.TrainTestSplit(new StreamOnly(20), 0.25, seed: 2);
        var test = TestViews.Floats(split.TestSet, "Id").Select(v => (int)v).ToArray();
        Assert.Equal(5, test.Length);
        AssertRowsConsistent(split.TestSet, new BatchOptions { BatchSize = 2 }, test);
    }
}

using System.Diagnostics;
using DlBook.Export.Scoring;
using DlBook.Export.Tests.Support;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Export.Tests.Scoring;

/// <summary>Runs alone, so the memory it measures is its own.</summary>
[CollectionDefinition(nameof(ConcurrentScoringTests), DisableParallelization = true)]
public sealed class ConcurrentScoringCollection;

/// <summary>
/// One fitted model scoring from 8 threads at once — one batch scorer shared by all, and ML.NET Transforms (each
/// thread its own cursor) — gives the bits of 1 thread, row for row, over 200,000 rows streamed from a lazy data view;
/// the retained managed heap and the process's resident memory stay flat while they run.
/// </summary>
[Collection(nameof(ConcurrentScoringTests))]
public sealed class ConcurrentScoringTests(BatchScorerTests.Model m) : IClassFixture<BatchScorerTests.Model>
{
    private const int Threads = 8, RowsPerThread = 25_000;   // 200,000 rows in all
    private const long HeapBound = 48L << 20, ResidentBound = 256L << 20;

    public sealed class Row
    {
        [VectorType(784)] public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    // Rows generated on demand (MNIST test image i mod 10,000), so nothing holds the 200,000 rows: a scorer that kept
    // rows or outputs would show up as memory that grows with the rows scored.
    private static IDataView Lazy(MLContext ml, int rows) => ml.Data.LoadFromEnumerable(Generate(rows));

    private static IEnumerable<Row> Generate(int rows)
    {
        for (int i = 0; i < rows; i++)
        {
            int k = i % Mnist.Rows;
            yield return new Row { Features = Mnist.Pixels.AsSpan(k * 784, 784).ToArray(), Label = Mnist.Labels[k] };
        }
    }

    [Fact]
    public void One_batch_scorer_shared_by_8_threads_gives_1_threads_bits_with_flat_memory()
    {
        using var scorer = new OnnxBatchScorer(m.Onnx, new OnnxBatchScorerOptions { BatchSize = 256 });
        int width = 10;
        var expected = new int[Mnist.Rows * width];
        scorer.Score(Lazy(m.Ml, Mnist.Rows), (first, n, scores) =>
        {
            for (int i = 0; i < n * width; i++) expected[first * width + i] = BitConverter.SingleToInt32Bits(scores[i]);
        });

        var mismatches = new long[Threads];
        var rows = new long[Threads];
        var memory = Measure(t =>
        {
            rows[t] = scorer.Score(Lazy(new MLContext(), RowsPerThread), (first, n, scores) =>
            {
                for (int i = 0; i < n * width; i++)
                    if (BitConverter.SingleToInt32Bits(scores[i]) != expected[(first * width + i) % expected.Length]) mismatches[t]++;
            });
        });
        Assert.All(rows, r => Assert.Equal(RowsPerThread, r));
        Assert.All(mismatches, x => Assert.Equal(0, x));
        memory.AssertFlat();
    }

    [Fact]
    public void ML_NET_transforms_from_8_threads_give_1_threads_bits_with_flat_memory()
    {
        var expected = ReadScores(m.Chain.Transform(Lazy(m.Ml, Mnist.Rows)), Mnist.Rows);
        var mismatches = new long[Threads];
        var rows = new long[Threads];
        var memory = Measure(t =>
        {
            var scored = m.Chain.Transform(Lazy(new MLContext(), RowsPerThread));
            var column = scored.Schema["Score"];
            using var cursor = scored.GetRowCursor([column]);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> score = default;
            while (cursor.MoveNext())
            {
                getter(ref score);
                var values = score.GetValues();
                int k = (int)(cursor.Position % Mnist.Rows);
                for (int i = 0; i < values.Length; i++)
                    if (BitConverter.SingleToInt32Bits(values[i]) != expected[k][i]) mismatches[t]++;
                rows[t]++;
            }
        });
        Assert.All(rows, r => Assert.Equal(RowsPerThread, r));
        Assert.All(mismatches, x => Assert.Equal(0, x));
        memory.AssertFlat();
    }

    private static int[][] ReadScores(IDataView scored, int rows)
    {
        var result = new int[rows][];
        var column = scored.Schema["Score"];
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> score = default;
        while (cursor.MoveNext())
        {
            getter(ref score);
            result[cursor.Position] = score.DenseValues().Select(BitConverter.SingleToInt32Bits).ToArray();
        }
        return result;
    }

    private sealed record Memory(long HeapBefore, long HeapAfter, long ResidentBefore, long ResidentAfter)
    {
        public void AssertFlat()
        {
            Assert.True(HeapAfter - HeapBefore < HeapBound,
                $"the managed heap grew by {(HeapAfter - HeapBefore) >> 20} MiB over {Threads * RowsPerThread:N0} rows (bound {HeapBound >> 20} MiB)");
            Assert.True(ResidentAfter - ResidentBefore < ResidentBound,
                $"resident memory grew by {(ResidentAfter - ResidentBefore) >> 20} MiB over {Threads * RowsPerThread:N0} rows (bound {ResidentBound >> 20} MiB)");
        }
    }

    // Runs work(t) on 8 threads released together, and the memory before and after (the heap after a full collection).
    private static Memory Measure(Action<int> work)
    {
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long residentBefore = Resident();
        using var start = new Barrier(Threads);
        var errors = new Exception?[Threads];
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            try { work(t); }
            catch (Exception e) { errors[t] = e; }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        foreach (var e in errors) if (e is not null) throw new AggregateException(e);
        return new Memory(heapBefore, GC.GetTotalMemory(forceFullCollection: true), residentBefore, Resident());
    }

    private static long Resident()
    {
        using var p = Process.GetCurrentProcess();
        return p.WorkingSet64;
    }
}

using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Views;

namespace DlBook.Pipelines.Catalogs;

public sealed partial class DataCatalog
{
    /// <summary>
    /// Splits rows at random into a train and a test set: a seeded permutation picks round(n × <paramref name="testFraction"/>)
    /// test rows; both sets keep the source order. With <paramref name="seed"/> null the seed is drawn from the context,
    /// so a seeded context gives the same split every run. A view that can only stream is cached in memory first.
    /// </summary>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction >= 0 && testFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), $"testFraction must be in [0, 1]; got {testFraction}.");
        ulong s = seed is int given ? (ulong)given : Context.NextSeed();
        var source = ViewHelpers.AsRandomAccess(data);
        int[] Pick(int n, bool test)
        {
            var perm = ViewHelpers.Permutation(n, s);
            int testCount = (int)Math.Round(n * testFraction, MidpointRounding.AwayFromZero);
            var rows = test ? perm[..testCount] : perm[testCount..];
            Array.Sort(rows);
            return rows;
        }
        return new TrainTestData(new RowSelectionDataView(source, n => Pick(n, false)), new RowSelectionDataView(source, n => Pick(n, true)));
    }

    /// <summary>The first <paramref name="count"/> rows (ML.NET's TakeRows). Streams when the source streams.</summary>
    public IDataView TakeRows(IDataView input, long count) => Range(input, 0, count);

    /// <summary>All rows after the first <paramref name="count"/> (ML.NET's SkipRows). The book's MNIST split is
    /// <c>TakeRows(train, 50000)</c> for training and <c>SkipRows(train, 50000)</c> for validation.</summary>
    public IDataView SkipRows(IDataView input, long count) => Range(input, count, long.MaxValue);

    /// <summary>The rows in a seeded random order, fixed for the returned view (every enumeration sees the same order).
    /// With <paramref name="seed"/> null the seed is drawn from the context. A view that can only stream is cached first.</summary>
    public IDataView ShuffleRows(IDataView input, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ulong s = seed is int given ? (ulong)given : Context.NextSeed();
        return new RowSelectionDataView(ViewHelpers.AsRandomAccess(input), n => ViewHelpers.Permutation(n, s));
    }

    /// <summary>Reads the view into memory on first enumeration and serves later enumerations (epochs) from there.</summary>
    public IDataView Cache(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input is InMemoryDataView ? input : new CachedDataView(input);
    }

    private static IDataView Range(IDataView input, long skip, long take)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        if (ViewHelpers.TryRandomAccess(input) is { } random)
            return new RowSelectionDataView(random, n =>
            {
                long from = Math.Min(skip, n), to = Math.Min(n, from + Math.Min(take, n));
                var rows = new int[to - from];
                for (int i = 0; i < rows.Length; i++) rows[i] = (int)from + i;
                return rows;
            });
        return new StreamingRowRangeDataView(input, skip, take);
    }
}

using DlBook.Pipelines.Core;
using DlBook.Trainers.Experiments;

namespace DlBook.Trainers.Tests.Experiments;

public class BookExperimentsTests
{
    private static BookExperiments Book() => new(new DlContext(seed: 1), MnistData.Train);

    // Nielsen's generate_gradient.py values (first rows of norms_during_training_{2,3,4}_layers.json).
    public static TheoryData<int[], double[]> BookSpeeds => new()
    {
        { [784, 30, 30, 10], [0.0657, 0.309] },
        { [784, 30, 30, 30, 10], [0.01184, 0.05997, 0.28314] },
        { [784, 30, 30, 30, 30, 10], [0.002975, 0.01708, 0.06954, 0.28514] },
    };

    [Theory]
    [MemberData(nameof(BookSpeeds))]
    public void LearningSpeedsAtInitHaveTheBooksOrderingAndNeighbourRatios(int[] sizes, double[] book)
    {
        var stats = Book().LearningSpeedAtInit(sizes, seeds: 10, samples: 1000);
        Assert.Equal(1000, stats.Samples);
        Assert.Equal(book.Length, stats.Mean.Length);
        for (int l = 1; l < book.Length; l++)
        {
            Assert.True(stats.Mean[l] > stats.Mean[l - 1], $"layer {l + 1} ({stats.Mean[l]:G3}) should learn faster than layer {l} ({stats.Mean[l - 1]:G3})");
            double ours = stats.Mean[l] / stats.Mean[l - 1], theirs = book[l] / book[l - 1];
            Assert.InRange(ours / theirs, 0.5, 2.0);
        }
        // The last hidden layer's speed itself is within a factor of 2 of the book's.
        Assert.InRange(stats.Mean[^1] / book[^1], 0.5, 2.0);
    }

    [Fact]
    public void TrainingSpeedCurveStartsAtTheInitialSpeedsAndRecordsEveryEpoch()
    {
        var book = Book();
        int[] sizes = [784, 30, 30, 10];
        var curve = book.TrainingSpeedCurves(sizes, epochs: 20, seed: 4);
        Assert.Equal(21, curve.Speeds.Length);
        Assert.All(curve.Speeds, row => Assert.Equal(2, row.Length));
        var init = book.LearningSpeedAtInit(sizes, seeds: 1, firstSeed: 4);
        Assert.Equal(init.PerSeed[0], curve.Speeds[0]);
        // Gradient descent changes the speeds: the curve is not flat.
        Assert.NotEqual(curve.Speeds[0][0], curve.Speeds[^1][0]);
    }

    [Fact]
    public void Chapter25TheScaledInitIsAheadOfTheLargeInitAfterOneEpochOnTheFull50000()
    {
        var book = Book();
        var large = book.Chapter25InitComparison([784, 30, 10], BookExperiments.LargeInit, seed: 1, epochs: 1);
        var scaled = book.Chapter25InitComparison([784, 30, 10], BookExperiments.DefaultInit, seed: 1, epochs: 1);
        Assert.True(scaled.Final > large.Final + 0.01, $"N(0,1/n_in) {scaled.Final:P2} vs N(0,1) {large.Final:P2}");
        Assert.True(scaled.Final > 0.90, $"N(0,1/n_in) after one epoch: {scaled.Final:P2}");
    }
}

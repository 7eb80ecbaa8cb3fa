using DlBook.Engine.Layers;

namespace DlBook.Engine.Tests.Layers;

/// <summary>The row loops the Dense and sequence layers share.</summary>
public class RowKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(30)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(100)]
    [InlineData(128)]
    public void BroadcastCopiesTheVectorIntoEveryRowAndNothingPastThem(int cols)
    {
        var v = Enumerable.Range(0, cols).Select(i => i * 0.5f - 3f).ToArray();
        foreach (int rows in new[] { 0, 1, 7 })
        {
            var y = Enumerable.Repeat(-12345.5f, rows * cols + 20).ToArray();
            RowKernels.Broadcast(v, y, rows);
            for (int r = 0; r < rows; r++) Assert.Equal(v, y.AsSpan(r * cols, cols).ToArray());
            Assert.All(y[(rows * cols)..], x => Assert.Equal(-12345.5f, x));
        }
    }

    [Fact]
    public void BroadcastIntoTooShortAnOutputThrows()
    {
        var e = Assert.Throws<ArgumentException>(() => RowKernels.Broadcast(new float[65], new float[129], 2));
        Assert.Contains("shorter than 2×65", e.Message);
    }
}

using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Views;

namespace DlBook.Pipelines.Tests.Data.Views;

/// <summary>The vectorised byte → float scaling must equal the scalar <c>src[j] * scale</c> bit for bit.</summary>
public sealed class ByteFloatStoreTests
{
    public static TheoryData<float> Scales => new() { 1f / 255, 1f, 0.1f, -3.7f, 1e-30f, 3e36f, float.Epsilon };

    private static float[] Scalar(ReadOnlySpan<byte> src, float scale)
    {
        var d = new float[src.Length];
        for (int j = 0; j < src.Length; j++) d[j] = src[j] * scale;
        return d;
    }

    private static void AssertBitwiseEqual(float[] expected, Span<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++)
            if (BitConverter.SingleToInt32Bits(expected[j]) != BitConverter.SingleToInt32Bits(actual[j]))
                Assert.Fail($"{what}: element {j} is {actual[j]:R}, the scalar loop gives {expected[j]:R}.");
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public void EveryLengthFrom0To100MatchesTheScalarLoop(float scale)
    {
        var rng = new Random(42);
        for (int length = 0; length <= 100; length++)
        {
            var src = new byte[length];
            rng.NextBytes(src);
            // A sentinel beyond the end shows the vector loop does not write past the span.
            var dst = new float[length + 1];
            dst[length] = 12345f;
            ByteFloatStore.ScaleBytes(src, dst.AsSpan(0, length), scale);
            AssertBitwiseEqual(Scalar(src, scale), dst.AsSpan(0, length), $"length {length}");
            Assert.Equal(12345f, dst[length]);
        }
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public void All256ByteValuesMatchTheScalarLoopAtEveryAlignment(float scale)
    {
        var all = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        var dst = new float[256];
        ByteFloatStore.ScaleBytes(all, dst, scale);
        AssertBitwiseEqual(Scalar(all, scale), dst, "0..255");
        // Reversed, and starting at every offset within a 32-byte block (unaligned loads).
        var reversed = all.Reverse().ToArray();
        for (int offset = 0; offset < 32; offset++)
        {
            var src = reversed.AsSpan(offset);
            var d = new float[src.Length];
            ByteFloatStore.ScaleBytes(src, d, scale);
            AssertBitwiseEqual(Scalar(src, scale), d, $"offset {offset}");
        }
    }

    [Fact]
    public void PixelsScaledBy1Over255CoverZeroToOneExactly()
    {
        var src = new byte[] { 0, 255, 128 };
        var d = new float[3];
        ByteFloatStore.ScaleBytes(src, d, 1f / 255);
        Assert.Equal(0f, d[0]);
        Assert.Equal(255 * (1f / 255), d[1]);
        Assert.Equal(128 * (1f / 255), d[2]);
    }

    [Fact]
    public void GatherScalesTheRowsInTheRequestedOrder()
    {
        // 3 rows of 40 bytes (one 32-byte vector step and a scalar tail per row).
        var bytes = Enumerable.Range(0, 120).Select(i => (byte)(i * 2)).ToArray();
        var store = new ByteFloatStore(bytes, 3, 40, 0.5f);
        Assert.Equal(3, store.Rows);
        var data = (FloatColumnData)store.Gather([2, 0, 1], 1, 2);
        Assert.Equal(2, data.RowCount);
        Assert.Equal(40, data.RowSize);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (float)i), data.Row(0).ToArray());
        Assert.Equal(Enumerable.Range(40, 40).Select(i => (float)i), data.Row(1).ToArray());
        var identity = (FloatColumnData)store.Gather(null, 2, 1);
        Assert.Equal(Enumerable.Range(80, 40).Select(i => (float)i), identity.Row(0).ToArray());
    }
}

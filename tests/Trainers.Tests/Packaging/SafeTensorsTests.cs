using System.Buffers.Binary;
using System.Text;
using DlBook.Trainers.Packaging;

namespace DlBook.Trainers.Tests.Packaging;

public class SafeTensorsTests
{
    private static byte[] HandBuilt(string header, params float[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var buf = new byte[8 + h.Length + data.Length * 4];
        BinaryPrimitives.WriteUInt64LittleEndian(buf, (ulong)h.Length);
        h.CopyTo(buf, 8);
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(8 + h.Length + 4 * i), data[i]);
        return buf;
    }

    [Fact]
    public void WriterProducesTheSafetensorsLayoutByteForByte()
    {
        using var ms = new MemoryStream();
        SafeTensors.Write(ms, [
            new("0.W", (new[] { 1f, -2f, 3.5f, 0.25f, 5f, 6f }, new[] { 2, 3 })),
            new("0.b", (new[] { -1f, 7f }, new[] { 2 })),
        ], new Dictionary<string, string> { ["format"] = "dlbook" });

        const string json = "{\"__metadata__\":{\"format\":\"dlbook\"},"
            + "\"0.W\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
            + "\"0.b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}}";
        // The header is padded with spaces to a multiple of 8 bytes.
        string padded = json.PadRight((json.Length + 7) / 8 * 8);
        var expected = HandBuilt(padded, 1f, -2f, 3.5f, 0.25f, 5f, 6f, -1f, 7f);
        Assert.Equal(expected, ms.ToArray());
    }

    [Fact]
    public void ReaderReadsAHandBuiltBufferExactly()
    {
        var buf = HandBuilt("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]},\"a\":{\"dtype\":\"F32\",\"shape\":[3,1],\"data_offsets\":[0,12]},\"__metadata__\":{\"k\":\"v\"}}",
            0.5f, float.Epsilon, -3e38f, 42f);
        var (tensors, meta) = SafeTensors.Read(buf);
        Assert.Equal([0.5f, float.Epsilon, -3e38f], tensors["a"].Values);
        Assert.Equal([3, 1], tensors["a"].Shape);
        Assert.Equal([42f], tensors["b"].Values);
        Assert.Equal("v", meta["k"]);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "needs 12")]
    [InlineData("{\"a\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", "dtype 'F16'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", "truncated")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "overlap")]
    [InlineData("{\"a\": [1, 2", "not valid JSON")]
    public void ReaderRejectsMalformedHeaders(string header, string expected)
    {
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(HandBuilt(header, 1f, 2f)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void ReaderRejectsAHeaderLengthBeyondTheBuffer()
    {
        var buf = HandBuilt("{}", 1f);
        BinaryPrimitives.WriteUInt64LittleEndian(buf, 1UL << 40);
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(buf));
        Assert.Contains("header claims", e.Message);
    }
    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void ReaderRefusesNonFiniteWeightsNamingTheTensorAndElement(float value, string shown)
    {
        // Found by the long fuzz run: a model zip with NaN weights loaded, then every prediction was NaN and the message blamed the input.
        var buf = HandBuilt("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", 1f, value, 2f);
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(buf));
        Assert.Contains("tensor 'w'", e.Message);
        Assert.Contains($"non-finite value {shown} at element 1", e.Message);
    }
}

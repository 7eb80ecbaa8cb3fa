using System.Buffers.Binary;

namespace DlBook.TestSupport;

/// <summary>PNG chunk checksums, so a test or the fuzzer can change a chunk (IHDR's size) and still pass the decoder's CRC check.</summary>
public static class PngChunks
{
    /// <summary>Recomputes the CRC of the chunk whose length field starts at <paramref name="chunk"/> (8 for IHDR); false when it does not fit the file.</summary>
    public static bool FixCrc(byte[] png, int chunk)
    {
        long length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(chunk));
        if (chunk + 12 + length > png.Length) return false;
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(chunk + 8 + (int)length), System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(chunk + 4, (int)length + 4)));
        return true;
    }
}

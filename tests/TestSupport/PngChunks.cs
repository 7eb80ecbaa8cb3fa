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
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(chunk + 8 + (int)length), Crc32(png.AsSpan(chunk + 4, (int)length + 4)));
        return true;
    }

    /// <summary>The CRC-32 of PNG (and zip, gzip): polynomial 0xEDB88320, reflected.</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}

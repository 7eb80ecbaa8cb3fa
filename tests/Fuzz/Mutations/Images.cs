using System.Buffers.Binary;
using DlBook.TestSupport;

namespace DlBook.Fuzz.Mutations;

/// <summary>
/// Mutations of JPEG and PNG headers: declared dimensions zero or huge, segment and chunk lengths that lie, flipped
/// bytes where the decoder reads its tables, the end marker cut off. PNG changes keep a valid CRC half the time, so
/// they reach the decoder past the checksum.
/// </summary>
public static class Images
{
    private static readonly ushort[] Dimensions = [0, 1, 2, 8191, 16384, 30000, 65500, 65535];

    public static byte[] Jpeg(Random rng, byte[] data, List<string> log)
    {
        if (data.Length < 4) return Bytes.Any(rng, data, log);   // an earlier mutation left too little to parse
        var d = (byte[])data.Clone();
        var markers = new List<(int At, byte Kind)>();
        for (int i = 2; i + 4 < d.Length && markers.Count < 64; i++)
            if (d[i] == 0xFF && d[i + 1] is >= 0xC0 and <= 0xFE and not 0xD8 and not (>= 0xD0 and <= 0xD7)) { markers.Add((i, d[i + 1])); if (d[i + 1] == 0xDA) break; }
        var sof = markers.Where(m => m.Kind is 0xC0 or 0xC1 or 0xC2).ToList();
        switch (rng.Next(5))
        {
            case 0 or 1 when sof.Count > 0:   // the frame's height or width, zero or huge
                var s = sof[0];
                int field = s.At + (rng.Next(2) == 0 ? 5 : 7);
                ushort v = Dimensions[rng.Next(Dimensions.Length)];
                BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(field), v);
                log.Add($"sof@{s.At} {(field == s.At + 5 ? "height" : "width")}={v}");
                return d;
            case 2 when markers.Count > 0:    // a segment's length lies
                var m = markers[rng.Next(markers.Count)];
                ushort len = (ushort)(rng.Next(3) switch { 0 => 0, 1 => 0xFFFF, _ => rng.Next(65536) });
                BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(m.At + 2), len);
                log.Add($"segment 0x{m.Kind:X2}@{m.At} length={len}");
                return d;
            case 3:                           // the end-of-image marker gone, or the scan cut short
                // An earlier mutation of the same case may have left fewer than two bytes.
                int cut = markers.Count > 0 && rng.Next(2) == 0 ? markers[^1].At + rng.Next(1, 200) : Math.Max(0, d.Length - 2);
                log.Add($"truncate@{Math.Min(cut, d.Length)}");
                return d[..Math.Min(cut, d.Length)];
            default:                          // bytes flipped among the tables
                int limit = markers.Count > 0 ? Math.Min(d.Length, markers[^1].At + 16) : Math.Min(d.Length, 1024);
                int n = 1 + rng.Next(6);
                for (int i = 0; i < n; i++) { int at = rng.Next(limit); d[at] ^= (byte)(1 << rng.Next(8)); log.Add($"flip@{at}"); }
                return d;
        }
    }

    public static byte[] Png(Random rng, byte[] data, List<string> log)
    {
        if (data.Length < 33) return Bytes.Any(rng, data, log);
        var d = (byte[])data.Clone();
        var chunks = new List<int>();   // where each chunk's length field starts
        for (long p = 8; p + 12 <= d.Length && chunks.Count < 64;)
        {
            chunks.Add((int)p);
            p += BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan((int)p)) + 12L;
        }
        if (chunks.Count == 0) return Bytes.Any(rng, data, log);
        bool fixCrc = rng.Next(2) == 0;
        switch (rng.Next(5))
        {
            case 0 or 1:   // IHDR width or height, zero or huge; or bit depth / colour type nonsense
                int k = rng.Next(4);
                if (k < 2)
                {
                    uint[] dims = [0, 1, 30000, 65535, 1u << 20, 0x7FFFFFFF, 0x80000000, uint.MaxValue];
                    uint v = dims[rng.Next(dims.Length)];
                    BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(k == 0 ? 16 : 20), v);
                    log.Add($"ihdr {(k == 0 ? "width" : "height")}={v}");
                }
                else
                {
                    byte v = (byte)rng.Next(256);
                    d[k == 2 ? 24 : 25] = v;
                    log.Add($"ihdr {(k == 2 ? "bitdepth" : "colortype")}={v}");
                }
                break;
            case 2:        // a chunk's length lies
                int c = chunks[rng.Next(chunks.Count)];
                uint[] lies = [0, 1, 0x7FFFFFFF, uint.MaxValue, (uint)d.Length];
                uint lie = lies[rng.Next(lies.Length)];
                BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(c), lie);
                log.Add($"chunk@{c} length={lie}");
                return d;
            case 3:        // cut inside a chunk (IDAT most of the time)
                int cut = chunks[rng.Next(chunks.Count)] + rng.Next(1, 64);
                log.Add($"truncate@{Math.Min(cut, d.Length)}");
                return d[..Math.Min(cut, d.Length)];
            default:       // flipped bytes in the image data, CRC kept valid or not
                int chunk = chunks[rng.Next(chunks.Count)];
                int size = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(chunk)), (uint)(d.Length - chunk - 12));
                if (size <= 0) return Bytes.FlipBits(rng, d, log);
                for (int i = 0, n = 1 + rng.Next(8); i < n; i++) { int at = chunk + 8 + rng.Next(size); d[at] ^= (byte)(1 << rng.Next(8)); log.Add($"flip@{at}"); }
                if (fixCrc && PngChunks.FixCrc(d, chunk)) log.Add("crc fixed");
                return d;
        }
        if (fixCrc && PngChunks.FixCrc(d, 8)) log.Add("crc fixed");
        return d;
    }
}

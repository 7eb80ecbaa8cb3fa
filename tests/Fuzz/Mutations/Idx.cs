using System.Buffers.Binary;

namespace DlBook.Fuzz.Mutations;

/// <summary>Mutations of an IDX file's header: the magic (type byte, dimension count) and the sizes after it.</summary>
public static class Idx
{
    public static byte[] Header(Random rng, byte[] data, List<string> log)
    {
        int dims = data.Length < 4 ? 0 : Math.Clamp((int)data[3], 1, 3);
        if (data.Length < 4 + 4 * dims + 1) return Bytes.Any(rng, data, log);   // an earlier cut left no whole header
        var d = (byte[])data.Clone();
        switch (rng.Next(6))
        {
            case 0:   // another magic: the other IDX kind, another element type, another dimension count, garbage
                int[] magics = [0x00000801, 0x00000803, 0x00000802, 0x00000804, 0x00000B03, 0x00000D01, 0x00000800, 0x1F8B0803, rng.Next()];
                int m = magics[rng.Next(magics.Length)];
                BinaryPrimitives.WriteInt32BigEndian(d, m);
                log.Add($"magic=0x{m:X8}");
                return d;
            case 1:   // a size set to a wrong, huge or negative value
                return Bytes.SetInt(rng, d, 4 + 4 * rng.Next(dims), log);
            case 2:   // the count off by a little
                int count = BinaryPrimitives.ReadInt32BigEndian(d.AsSpan(4)), delta = rng.Next(2) == 0 ? 1 : -1;
                BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(4), count + delta);
                log.Add($"count{delta:+0;-0}");
                return d;
            case 3:   // rows × columns swapped for a shape of the same size, or not
                if (dims < 3) goto case 1;
                int[][] shapes = [[14, 56], [56, 14], [1, 784], [29, 27], [28, 29], [65536, 65536], [0, 28]];
                var shape = shapes[rng.Next(shapes.Length)];
                BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(8), shape[0]);
                BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(12), shape[1]);
                log.Add($"shape={shape[0]}x{shape[1]}");
                return d;
            case 4:   // trailing bytes after the last item
                var extra = new byte[1 + rng.Next(1000)];
                rng.NextBytes(extra);
                log.Add($"append+{extra.Length}");
                return [.. d, .. extra];
            default:  // cut inside the header or at an item boundary
                int header = 4 + 4 * dims;
                int at = rng.Next(2) == 0 ? rng.Next(header) : Math.Min(d.Length, header + rng.Next(1, 5) * (dims == 1 ? 1 : 784));
                log.Add($"truncate@{at}");
                return d[..at];
        }
    }
}

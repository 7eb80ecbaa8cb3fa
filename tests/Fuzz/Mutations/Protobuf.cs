namespace DlBook.Fuzz.Mutations;

/// <summary>
/// Mutations of a protobuf file (an ONNX model) along its wire format: a length-delimited field's length set huge,
/// zero or off by one, a field cut, dropped or repeated, a tag's wire type changed, a varint made endless.
/// </summary>
public static class Protobuf
{
    /// <summary>A field as found on the wire: where its tag starts, where its length varint starts and ends, where it ends.</summary>
    private readonly record struct Field(int Start, int LengthAt, int PayloadAt, int End, int WireType);

    public static byte[] Fields(Random rng, byte[] data, List<string> log)
    {
        var fields = new List<Field>();
        Walk(data, 0, data.Length, 0, fields);
        if (fields.Count == 0) return Bytes.Any(rng, data, log);
        var f = fields[rng.Next(fields.Count)];
        switch (rng.Next(6))
        {
            case 0 or 1:   // a length that lies
                var delimited = fields.Where(x => x.WireType == 2).ToList();
                if (delimited.Count == 0) goto default;
                f = delimited[rng.Next(delimited.Count)];
                int length = f.End - f.PayloadAt;
                ulong[] lies = [0, 1, (ulong)length + 1, (ulong)Math.Max(0, length - 1), int.MaxValue, uint.MaxValue, 1UL << 40, ulong.MaxValue, (ulong)data.Length * 2];
                ulong lie = lies[rng.Next(lies.Length)];
                log.Add($"length@{f.LengthAt} {length}->{lie}");
                return [.. data.AsSpan(0, f.LengthAt), .. Varint(lie), .. data.AsSpan(f.PayloadAt)];
            case 2:        // the file cut at a field's start or inside it
                int at = rng.Next(2) == 0 ? f.Start : f.Start + rng.Next(Math.Max(1, f.End - f.Start));
                log.Add($"truncate@{at}");
                return data[..at];
            case 3:        // a field dropped
                log.Add($"drop@{f.Start}+{f.End - f.Start}");
                return [.. data.AsSpan(0, f.Start), .. data.AsSpan(f.End)];
            case 4:        // a field repeated
                log.Add($"repeat@{f.Start}+{f.End - f.Start}");
                return [.. data.AsSpan(0, f.End), .. data.AsSpan(f.Start, f.End - f.Start), .. data.AsSpan(f.End)];
            default:       // the tag's wire type changed, or an endless varint
                var d = (byte[])data.Clone();
                if (rng.Next(2) == 0)
                {
                    int wire = rng.Next(8);
                    d[f.Start] = (byte)(d[f.Start] & ~7 | wire);
                    log.Add($"wiretype@{f.Start}={wire}");
                    return d;
                }
                log.Add($"endless-varint@{f.Start}");
                return [.. d.AsSpan(0, f.Start), .. Enumerable.Repeat((byte)0xFF, 11), .. d.AsSpan(f.Start)];
        }
    }

    // Every field of the message in [start, end), and of the nested messages whose bytes parse as one.
    private static bool Walk(byte[] d, int start, int end, int depth, List<Field> found)
    {
        int p = start, before = found.Count;
        while (p < end)
        {
            int tagAt = p;
            if (!ReadVarint(d, ref p, end, out ulong tag) || tag >> 3 == 0) { found.RemoveRange(before, found.Count - before); return false; }
            int wire = (int)(tag & 7), lengthAt = p, payloadAt, fieldEnd;
            switch (wire)
            {
                case 0: if (!ReadVarint(d, ref p, end, out _)) goto bad; payloadAt = lengthAt; fieldEnd = p; break;
                case 1: payloadAt = lengthAt; fieldEnd = p + 8; break;
                case 5: payloadAt = lengthAt; fieldEnd = p + 4; break;
                case 2:
                    if (!ReadVarint(d, ref p, end, out ulong len) || len > (ulong)(end - p)) goto bad;
                    payloadAt = p;
                    fieldEnd = p + (int)len;
                    break;
                default: goto bad;
            }
            if (fieldEnd > end) goto bad;
            found.Add(new Field(tagAt, lengthAt, payloadAt, fieldEnd, wire));
            if (wire == 2 && depth < 8 && fieldEnd - payloadAt > 1) Walk(d, payloadAt, fieldEnd, depth + 1, found);
            p = fieldEnd;
        }
        return true;
    bad:
        found.RemoveRange(before, found.Count - before);
        return false;
    }

    private static bool ReadVarint(byte[] d, ref int p, int end, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && p < end; shift += 7)
        {
            byte b = d[p++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }

    private static byte[] Varint(ulong v)
    {
        var bytes = new List<byte>();
        do { bytes.Add((byte)(v & 0x7F | (v > 0x7F ? 0x80u : 0))); v >>= 7; } while (v != 0);
        return [.. bytes];
    }
}

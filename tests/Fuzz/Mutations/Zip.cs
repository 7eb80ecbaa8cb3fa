using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace DlBook.Fuzz.Mutations;

/// <summary>
/// Mutations of a model zip: entries dropped, repeated, renamed outside the archive, replaced by a bomb or by mutated
/// content (the manifest's JSON, the safetensors header), and the sizes, offsets and counts of the zip's own headers.
/// </summary>
public static class Zip
{
    private static readonly string[] Traversals = ["../x", "../../etc/passwd", "/tmp/abs", "a/../../x", "..\\x", "C:\\x", "TransformerChain/../../x", "./../x", "a//b", "\0x"];

    public static byte[] Structure(Random rng, byte[] data, List<string> log)
    {
        List<(string Name, byte[] Bytes)> entries;
        try { entries = Read(data); }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException) { return Bytes.Any(rng, data, log); }   // an earlier mutation broke the zip: keep breaking it
        if (entries.Count == 0) return Bytes.Any(rng, data, log);
        int i = rng.Next(entries.Count);
        var (name, bytes) = entries[i];
        switch (rng.Next(11))
        {
            case 0:
                entries.RemoveAt(i);
                log.Add($"drop '{name}'");
                break;
            case 1:
                entries.Insert(rng.Next(entries.Count + 1), (rng.Next(2) == 0 ? name : name.ToUpperInvariant(), rng.Next(2) == 0 ? bytes : []));
                log.Add($"repeat '{name}'");
                break;
            case 2:
                var t = Traversals[rng.Next(Traversals.Length)];
                if (rng.Next(2) == 0) { entries[i] = (t, bytes); log.Add($"rename '{name}'->'{t}'"); }
                else { entries.Add((t, "x"u8.ToArray())); log.Add($"add '{t}'"); }
                break;
            case 3:
                int mib = 2 + rng.Next(46);
                entries[i] = (name, new byte[mib << 20]);
                log.Add($"bomb '{name}' {mib} MiB of zeros");
                break;
            case 4 or 5 or 6:
                entries[i] = (name, Content(rng, name, bytes, log));
                break;
            case 7:
                var renamed = name.Length > 1 && rng.Next(2) == 0 ? name[..^1] : name + ".bak";
                entries[i] = (renamed, bytes);
                log.Add($"rename '{name}'->'{renamed}'");
                break;
            case 8:
                int n = rng.Next(2) == 0 ? 0 : 10_001;
                log.Add($"{n} entries");
                entries = [.. Enumerable.Range(0, n).Select(k => ($"e{k}", Array.Empty<byte>()))];
                break;
            default:
                return Headers(rng, data, log);
        }
        return Write(entries, rng.Next(3) == 0 ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
    }

    // The entry's own format: JSON numbers and strings, the safetensors header length, or blind bytes.
    private static byte[] Content(Random rng, string name, byte[] bytes, List<string> log)
    {
        if (name.EndsWith(".safetensors", StringComparison.Ordinal) && bytes.Length >= 8 && rng.Next(2) == 0)
        {
            var d = (byte[])bytes.Clone();
            ulong[] lengths = [0, 1, 7, (ulong)bytes.Length, ulong.MaxValue, 1UL << 62, int.MaxValue, (ulong)BinaryPrimitives.ReadInt64LittleEndian(d) + 1];
            ulong v = lengths[rng.Next(lengths.Length)];
            BinaryPrimitives.WriteUInt64LittleEndian(d, v);
            log.Add($"'{name}' header length={v}");
            return d;
        }
        if (name.EndsWith(".json", StringComparison.Ordinal) && rng.Next(2) == 0)
        {
            var text = Encoding.UTF8.GetString(bytes);
            var numbers = System.Text.RegularExpressions.Regex.Matches(text, @"-?\d+(\.\d+)?([eE][-+]?\d+)?");
            if (numbers.Count > 0)
            {
                var m = numbers[rng.Next(numbers.Count)];
                string[] values = ["-1", "0", "2147483648", "99999999999", "1e300", "-2147483648", "NaN", "\"x\"", "null", "[]", "1.5"];
                var v = values[rng.Next(values.Length)];
                log.Add($"'{name}' number@{m.Index} '{m.Value}'->{v}");
                return Encoding.UTF8.GetBytes(text[..m.Index] + v + text[(m.Index + m.Length)..]);
            }
        }
        log.Add($"'{name}' content:");
        return Bytes.Several(rng, bytes, log, Bytes.Any, 0);
    }

    // Sizes, CRCs, name lengths and offsets in the local and central headers and the end record.
    private static byte[] Headers(Random rng, byte[] data, List<string> log)
    {
        var d = (byte[])data.Clone();
        var central = Find(d, [0x50, 0x4B, 0x01, 0x02]);
        var local = Find(d, [0x50, 0x4B, 0x03, 0x04]);
        var end = Find(d, [0x50, 0x4B, 0x05, 0x06]);
        int kind = rng.Next(3);
        var (at, fields, what) = kind switch
        {
            0 when central.Count > 0 => (central[rng.Next(central.Count)], new[] { 16, 20, 24, 28, 30, 32, 42 }, "central"),
            1 when local.Count > 0 => (local[rng.Next(local.Count)], new[] { 14, 18, 22, 26, 28 }, "local"),
            _ when end.Count > 0 => (end[^1], new[] { 8, 10, 12, 16, 20 }, "end"),
            _ => (-1, Array.Empty<int>(), ""),
        };
        if (at < 0) return Bytes.Any(rng, d, log);
        int field = fields[rng.Next(fields.Length)];
        bool twoBytes = what == "central" ? field is 28 or 30 or 32 : what == "local" ? field is 26 or 28 : field is 8 or 10 or 20;
        if (at + field + 4 > d.Length) return d;
        long value = Bytes.InterestingInts[rng.Next(Bytes.InterestingInts.Length)];
        if (twoBytes) BinaryPrimitives.WriteUInt16LittleEndian(d.AsSpan(at + field), (ushort)value);
        else BinaryPrimitives.WriteInt32LittleEndian(d.AsSpan(at + field), (int)value);
        log.Add($"{what} header@{at}+{field}={(twoBytes ? (ushort)value : value)}");
        return d;
    }

    private static List<int> Find(byte[] data, byte[] signature)
    {
        var found = new List<int>();
        for (int i = data.AsSpan().IndexOf(signature); i >= 0;)
        {
            found.Add(i);
            int next = data.AsSpan(i + 1).IndexOf(signature);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return found;
    }

    public static List<(string Name, byte[] Bytes)> Read(byte[] data)
    {
        using var zip = new ZipArchive(new MemoryStream(data), ZipArchiveMode.Read);
        var list = new List<(string, byte[])>();
        foreach (var e in zip.Entries)
        {
            using var s = e.Open();
            var ms = new MemoryStream();
            s.CopyTo(ms);
            list.Add((e.FullName, ms.ToArray()));
        }
        return list;
    }

    private static byte[] Write(List<(string Name, byte[] Bytes)> entries, CompressionLevel level)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name, level).Open();
                s.Write(bytes);
            }
        return ms.ToArray();
    }
}

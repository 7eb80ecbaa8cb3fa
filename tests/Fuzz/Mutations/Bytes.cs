using System.Buffers.Binary;

namespace DlBook.Fuzz.Mutations;

/// <summary>Format-blind mutations of a file's bytes; each appends what it did to the case's log.</summary>
public static class Bytes
{
    /// <summary>32-bit values that break size arithmetic: zero, one, negative, the largest, around 2^16 and 2^31.</summary>
    public static readonly int[] InterestingInts = [0, 1, -1, 2, 255, 256, 0x7FFF, 0xFFFF, 0x10000, 0x7FFFFFFF, int.MinValue, 0x40000000, 0x01000000, -2];

    /// <summary>One random format-blind mutation.</summary>
    public static byte[] Any(Random rng, byte[] data, List<string> log) => rng.Next(7) switch
    {
        0 => Truncate(rng, data, log),
        1 => FlipBits(rng, data, log),
        2 => OverwriteRun(rng, data, log),
        3 => Insert(rng, data, log),
        4 => Delete(rng, data, log),
        5 => DuplicateChunk(rng, data, log),
        _ => SetInt(rng, data, Offset(rng, data.Length), log),
    };

    /// <summary>An offset biased to the start of the file, where headers are.</summary>
    public static int Offset(Random rng, int length) =>
        length <= 1 ? 0 : rng.Next(3) == 0 ? rng.Next(Math.Min(length, 64)) : rng.Next(length);

    public static byte[] Truncate(Random rng, byte[] data, List<string> log)
    {
        int at = data.Length == 0 ? 0 : Offset(rng, data.Length);
        log.Add($"truncate@{at}");
        return data[..at];
    }

    public static byte[] FlipBits(Random rng, byte[] data, List<string> log)
    {
        if (data.Length == 0) return data;
        var d = (byte[])data.Clone();
        int n = 1 + rng.Next(8);
        for (int i = 0; i < n; i++)
        {
            int at = Offset(rng, d.Length), bit = rng.Next(8);
            d[at] ^= (byte)(1 << bit);
            log.Add($"flip@{at}.{bit}");
        }
        return d;
    }

    public static byte[] OverwriteRun(Random rng, byte[] data, List<string> log)
    {
        if (data.Length == 0) return data;
        var d = (byte[])data.Clone();
        int at = Offset(rng, d.Length), len = Math.Min(d.Length - at, 1 + rng.Next(64));
        int kind = rng.Next(3);
        for (int i = 0; i < len; i++) d[at + i] = kind switch { 0 => 0, 1 => 0xFF, _ => (byte)rng.Next(256) };
        log.Add($"overwrite@{at}+{len}:{(kind == 0 ? "00" : kind == 1 ? "FF" : "random")}");
        return d;
    }

    public static byte[] Insert(Random rng, byte[] data, List<string> log)
    {
        int at = data.Length == 0 ? 0 : Offset(rng, data.Length + 1);
        var extra = new byte[1 + rng.Next(256)];
        rng.NextBytes(extra);
        log.Add($"insert@{at}+{extra.Length}");
        return [.. data.AsSpan(0, at), .. extra, .. data.AsSpan(at)];
    }

    public static byte[] Delete(Random rng, byte[] data, List<string> log)
    {
        if (data.Length == 0) return data;
        int at = Offset(rng, data.Length), len = Math.Min(data.Length - at, 1 + rng.Next(256));
        log.Add($"delete@{at}+{len}");
        return [.. data.AsSpan(0, at), .. data.AsSpan(at + len)];
    }

    public static byte[] DuplicateChunk(Random rng, byte[] data, List<string> log)
    {
        if (data.Length == 0) return data;
        int from = rng.Next(data.Length), len = Math.Min(data.Length - from, 1 + rng.Next(512)), to = rng.Next(data.Length + 1);
        log.Add($"duplicate@{from}+{len}->{to}");
        return [.. data.AsSpan(0, to), .. data.AsSpan(from, len), .. data.AsSpan(to)];
    }

    /// <summary>Sets the 32-bit field at <paramref name="at"/> (either byte order) to an interesting value.</summary>
    public static byte[] SetInt(Random rng, byte[] data, int at, List<string> log)
    {
        if (data.Length < at + 4) return data;
        var d = (byte[])data.Clone();
        int v = InterestingInts[rng.Next(InterestingInts.Length)];
        bool big = rng.Next(2) == 0;
        if (big) BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(at), v);
        else BinaryPrimitives.WriteInt32LittleEndian(d.AsSpan(at), v);
        log.Add($"int{(big ? "BE" : "LE")}@{at}={v}");
        return d;
    }

    /// <summary>One to three mutations, each the structured one with probability <paramref name="structured"/>, else a blind one.</summary>
    public static byte[] Several(Random rng, byte[] data, List<string> log, Func<Random, byte[], List<string>, byte[]> structuredMutation, double structured = 0.6)
    {
        int n = 1 + rng.Next(3);
        for (int i = 0; i < n; i++)
            data = rng.NextDouble() < structured ? structuredMutation(rng, data, log) : Any(rng, data, log);
        return data;
    }
}

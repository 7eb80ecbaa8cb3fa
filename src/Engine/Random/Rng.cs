namespace DlBook.Engine.Random;

/// <summary>
/// A small, seeded, platform-independent random generator (xoshiro256** seeded through
/// splitmix64). The same seed gives the same sequence on every machine and .NET version,
/// which System.Random does not promise.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    /// <summary>Creates a generator from a seed.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>Writes the generator's whole state, so <see cref="ReadState"/> continues the same stream (training resume).</summary>
    public void WriteState(BinaryWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.Write(_s0); w.Write(_s1); w.Write(_s2); w.Write(_s3);
        w.Write(_spareNormal.HasValue);
        w.Write(_spareNormal ?? 0);
    }

    /// <summary>Restores a state written by <see cref="WriteState"/>.</summary>
    public void ReadState(BinaryReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        ulong s0 = r.ReadUInt64(), s1 = r.ReadUInt64(), s2 = r.ReadUInt64(), s3 = r.ReadUInt64();
        bool hasSpare = r.ReadBoolean();
        double spare = r.ReadDouble();
        if ((s0 | s1 | s2 | s3) == 0) throw new InvalidDataException("A random generator's saved state is all zeros, which xoshiro256** cannot have; the file is damaged.");
        (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);
        _spareNormal = hasSpare ? spare : null;
    }

    /// <summary>A child generator with an independent stream (for per-layer or per-epoch use).</summary>
    public Rng Fork() => new(NextUInt64());

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotL(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t; _s3 = RotL(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) as float.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        // Lemire's multiply-shift; the bias for n ≪ 2^32 is negligible and, more importantly, deterministic.
        return (int)(((NextUInt64() >> 32) * (ulong)n) >> 32);
    }

    /// <summary>Standard normal N(0,1) by the Marsaglia polar method.</summary>
    public double NextNormal()
    {
        if (_spareNormal is double s) { _spareNormal = null; return s; }
        double u, v, r;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            r = u * u + v * v;
        } while (r >= 1 || r == 0);
        double f = Math.Sqrt(-2 * Math.Log(r) / r);
        _spareNormal = v * f;
        return u * f;
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

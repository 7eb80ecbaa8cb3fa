using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DlBook.Pipelines.Bridge;

/// <summary>Bytes to floats, d[j] = src[j]·scale: the IDX view and the byte feature store both go through here, so their floats are the same bits.</summary>
internal static class ByteScaling
{
    /// <summary>The IDX loader's default scale: pixels 0..255 → 0..1.</summary>
    public const float PixelScale = 1f / 255;

    /// <summary>d[j] = src[j]·scale, 32 bytes at a time (the training loop reads every image of every epoch through here).</summary>
    public static void Scale(ReadOnlySpan<byte> src, Span<float> d, float scale)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            ref byte sr = ref MemoryMarshal.GetReference(src);
            ref float dr = ref MemoryMarshal.GetReference(d);
            for (; j + 32 <= src.Length; j += 32)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref sr, (nuint)j));
                var (a, b) = Vector256.Widen(lo);
                var (c, e) = Vector256.Widen(hi);
                (Vector256.ConvertToSingle(a.AsInt32()) * s).StoreUnsafe(ref dr, (nuint)j);
                (Vector256.ConvertToSingle(b.AsInt32()) * s).StoreUnsafe(ref dr, (nuint)j + 8);
                (Vector256.ConvertToSingle(c.AsInt32()) * s).StoreUnsafe(ref dr, (nuint)j + 16);
                (Vector256.ConvertToSingle(e.AsInt32()) * s).StoreUnsafe(ref dr, (nuint)j + 24);
            }
        }
        for (; j < src.Length; j++) d[j] = src[j] * scale;
    }

    /// <summary>Index of the first NaN or infinite value, or −1 when every value is finite.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float vr = ref MemoryMarshal.GetReference(values);
            for (; j + 8 <= values.Length; j += 8)
            {
                var v = Vector256.LoadUnsafe(ref vr, (nuint)j);
                if (!Vector256.EqualsAll(v - v, Vector256<float>.Zero)) break;   // v − v is NaN for NaN and ±∞
            }
        }
        for (; j < values.Length; j++) if (!float.IsFinite(values[j])) return j;
        return -1;
    }

    /// <summary>True when any value is NaN.</summary>
    public static bool HasNaN(ReadOnlySpan<float> values)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float vr = ref MemoryMarshal.GetReference(values);
            var acc = Vector256<float>.Zero;
            for (; j + 8 <= values.Length; j += 8)
            {
                var v = Vector256.LoadUnsafe(ref vr, (nuint)j);
                acc |= ~Vector256.Equals(v, v);
            }
            if (acc != Vector256<float>.Zero) return true;
        }
        for (; j < values.Length; j++) if (float.IsNaN(values[j])) return true;
        return false;
    }

    /// <summary>
    /// Encodes <paramref name="values"/> as bytes when every one is exactly b·scale for a byte b (so <see cref="Scale"/>
    /// gives back the same bits); false, with <paramref name="dst"/> partly written, when one is not.
    /// </summary>
    public static bool TryEncode(ReadOnlySpan<float> values, Span<byte> dst, float scale)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= 8)
        {
            // q = round(v / scale) as the scalar loop does; the row is bytes when every q·scale gives v back to the bit.
            var s = Vector256.Create(scale);
            var inv = Vector256.Create(1f / scale);
            var lo = Vector256<float>.Zero;
            var hi = Vector256.Create(255f);
            ref float vr = ref MemoryMarshal.GetReference(values);
            ref byte dr = ref MemoryMarshal.GetReference(dst);
            for (; j + 8 <= values.Length; j += 8)
            {
                var v = Vector256.LoadUnsafe(ref vr, (nuint)j);
                var q = Vector256.Round(v * inv);
                var ok = Vector256.GreaterThanOrEqual(q, lo) & Vector256.LessThanOrEqual(q, hi)
                    & Vector256.Equals((q * s).AsInt32(), v.AsInt32()).AsSingle();
                if (ok.ExtractMostSignificantBits() != 0xFF) return false;
                var b = Vector256.ConvertToInt32(q);
                for (int k = 0; k < 8; k++) Unsafe.Add(ref dr, j + k) = (byte)b.GetElement(k);
            }
        }
        for (; j < values.Length; j++)
        {
            float v = values[j];
            float q = MathF.Round(v / scale);
            if (!(q >= 0 && q <= 255)) return false;
            byte b = (byte)q;
            if (BitConverter.SingleToInt32Bits(b * scale) != BitConverter.SingleToInt32Bits(v)) return false;
            dst[j] = b;
        }
        return true;
    }
}

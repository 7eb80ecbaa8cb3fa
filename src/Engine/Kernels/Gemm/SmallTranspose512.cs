using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DlBook.Engine.Kernels;

/// <summary>
/// Transposes a small stored B (n rows × k columns, row stride ldb) into a k × nPad buffer, so the no-pack
/// outer-product tiles can serve C = A·Bᵀ when k is too short for dot-product tiles to pay. Works in
/// 16×16 in-register blocks with masked loads; columns j ≥ n of the buffer hold zeros.
/// </summary>
[SkipLocalsInit]
internal static unsafe class SmallTranspose512
{
    /// <summary>dst[p·nPad + j] = b[j·ldb + p] for p &lt; k, j &lt; nPad (zero for j ≥ n). nPad is n rounded up to 16.</summary>
    public static void Run(float* b, long ldb, int n, int k, float* dst, int nPad)
    {
        for (int j0 = 0; j0 < nPad; j0 += 16)
        {
            int rows = Math.Min(16, n - j0);
            for (int p0 = 0; p0 < k; p0 += 16)
                Block(b + j0 * ldb + p0, ldb, rows, Math.Min(16, k - p0), dst + (long)p0 * nPad + j0, nPad);
        }
    }

    // s: rows × cols (row stride ss) → d: cols × 16 (row stride ds), rows past `rows` read as zero.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block(float* s, long ss, int rows, int cols, float* d, long ds)
    {
        var mask = Masks512.First(cols);
        var r0 = Row(s, ss, 0, rows, mask); var r1 = Row(s, ss, 1, rows, mask);
        var r2 = Row(s, ss, 2, rows, mask); var r3 = Row(s, ss, 3, rows, mask);
        var r4 = Row(s, ss, 4, rows, mask); var r5 = Row(s, ss, 5, rows, mask);
        var r6 = Row(s, ss, 6, rows, mask); var r7 = Row(s, ss, 7, rows, mask);
        var r8 = Row(s, ss, 8, rows, mask); var r9 = Row(s, ss, 9, rows, mask);
        var r10 = Row(s, ss, 10, rows, mask); var r11 = Row(s, ss, 11, rows, mask);
        var r12 = Row(s, ss, 12, rows, mask); var r13 = Row(s, ss, 13, rows, mask);
        var r14 = Row(s, ss, 14, rows, mask); var r15 = Row(s, ss, 15, rows, mask);

        // Interleave pairs of rows within 128-bit lanes.
        var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
        var t8 = Avx512F.UnpackLow(r8, r9); var t9 = Avx512F.UnpackHigh(r8, r9);
        var t10 = Avx512F.UnpackLow(r10, r11); var t11 = Avx512F.UnpackHigh(r10, r11);
        var t12 = Avx512F.UnpackLow(r12, r13); var t13 = Avx512F.UnpackHigh(r12, r13);
        var t14 = Avx512F.UnpackLow(r14, r15); var t15 = Avx512F.UnpackHigh(r14, r15);

        // 4×4 blocks within 128-bit lanes.
        r0 = Avx512F.Shuffle(t0, t2, 0x44); r1 = Avx512F.Shuffle(t0, t2, 0xEE);
        r2 = Avx512F.Shuffle(t1, t3, 0x44); r3 = Avx512F.Shuffle(t1, t3, 0xEE);
        r4 = Avx512F.Shuffle(t4, t6, 0x44); r5 = Avx512F.Shuffle(t4, t6, 0xEE);
        r6 = Avx512F.Shuffle(t5, t7, 0x44); r7 = Avx512F.Shuffle(t5, t7, 0xEE);
        r8 = Avx512F.Shuffle(t8, t10, 0x44); r9 = Avx512F.Shuffle(t8, t10, 0xEE);
        r10 = Avx512F.Shuffle(t9, t11, 0x44); r11 = Avx512F.Shuffle(t9, t11, 0xEE);
        r12 = Avx512F.Shuffle(t12, t14, 0x44); r13 = Avx512F.Shuffle(t12, t14, 0xEE);
        r14 = Avx512F.Shuffle(t13, t15, 0x44); r15 = Avx512F.Shuffle(t13, t15, 0xEE);

        // Move 128-bit lanes across registers.
        t0 = Avx512F.Shuffle4x128(r0, r4, 0x88); t1 = Avx512F.Shuffle4x128(r1, r5, 0x88);
        t2 = Avx512F.Shuffle4x128(r2, r6, 0x88); t3 = Avx512F.Shuffle4x128(r3, r7, 0x88);
        t4 = Avx512F.Shuffle4x128(r0, r4, 0xDD); t5 = Avx512F.Shuffle4x128(r1, r5, 0xDD);
        t6 = Avx512F.Shuffle4x128(r2, r6, 0xDD); t7 = Avx512F.Shuffle4x128(r3, r7, 0xDD);
        t8 = Avx512F.Shuffle4x128(r8, r12, 0x88); t9 = Avx512F.Shuffle4x128(r9, r13, 0x88);
        t10 = Avx512F.Shuffle4x128(r10, r14, 0x88); t11 = Avx512F.Shuffle4x128(r11, r15, 0x88);
        t12 = Avx512F.Shuffle4x128(r8, r12, 0xDD); t13 = Avx512F.Shuffle4x128(r9, r13, 0xDD);
        t14 = Avx512F.Shuffle4x128(r10, r14, 0xDD); t15 = Avx512F.Shuffle4x128(r11, r15, 0xDD);

        Put(d, ds, 0, cols, Avx512F.Shuffle4x128(t0, t8, 0x88));
        Put(d, ds, 1, cols, Avx512F.Shuffle4x128(t1, t9, 0x88));
        Put(d, ds, 2, cols, Avx512F.Shuffle4x128(t2, t10, 0x88));
        Put(d, ds, 3, cols, Avx512F.Shuffle4x128(t3, t11, 0x88));
        Put(d, ds, 4, cols, Avx512F.Shuffle4x128(t4, t12, 0x88));
        Put(d, ds, 5, cols, Avx512F.Shuffle4x128(t5, t13, 0x88));
        Put(d, ds, 6, cols, Avx512F.Shuffle4x128(t6, t14, 0x88));
        Put(d, ds, 7, cols, Avx512F.Shuffle4x128(t7, t15, 0x88));
        Put(d, ds, 8, cols, Avx512F.Shuffle4x128(t0, t8, 0xDD));
        Put(d, ds, 9, cols, Avx512F.Shuffle4x128(t1, t9, 0xDD));
        Put(d, ds, 10, cols, Avx512F.Shuffle4x128(t2, t10, 0xDD));
        Put(d, ds, 11, cols, Avx512F.Shuffle4x128(t3, t11, 0xDD));
        Put(d, ds, 12, cols, Avx512F.Shuffle4x128(t4, t12, 0xDD));
        Put(d, ds, 13, cols, Avx512F.Shuffle4x128(t5, t13, 0xDD));
        Put(d, ds, 14, cols, Avx512F.Shuffle4x128(t6, t14, 0xDD));
        Put(d, ds, 15, cols, Avx512F.Shuffle4x128(t7, t15, 0xDD));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(float* s, long ss, int r, int rows, Vector512<float> mask) =>
        r < rows ? Avx512F.MaskLoad(s + r * ss, mask, Vector512<float>.Zero) : Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* d, long ds, int p, int cols, Vector512<float> v)
    {
        if (p < cols) v.Store(d + p * ds);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DlBook.Engine.Kernels;

/// <summary>
/// No-pack dot-product tiles for C = A·Bᵀ with a long k and few rows (the book's 784→30 forward, x·Wᵀ).
/// <see cref="Dot10x2"/> runs 10 rows of A × 2 rows of B, so each row of B (a weight row, the big operand) is
/// streamed from L2 once per 10-row block while the rows of A stay in L1; it leaves its 16-lane partial sums in a
/// scratch block, and <see cref="Reduce16"/> turns 16 of them at a time into 16 adjacent outputs with a transposing
/// add tree instead of 16 separate horizontal sums.
/// <para>
/// A's rows are re-read for every pair of B rows, so their loads must not split cache lines: when A's rows share
/// one alignment, the loop starts at A's first 64-byte boundary (a masked head before it) and the partial sums are
/// rotated back at the end, so lane q still sums exactly the terms p ≡ q (mod 16) in increasing p. With the add tree
/// in the order <see cref="Vector512.Sum{T}"/> uses (pairs, pairs of pairs within each 128-bit lane, lanes 0+1 and
/// 2+3, then the halves), every element gets the bits of <see cref="SmallKernels512.Dot5x4"/> whatever the addresses.
/// Rows past the valid count alias the last valid row.
/// </para>
/// </summary>
[SkipLocalsInit]
internal static unsafe class SmallKernels512Dot
{
    /// <summary>Floats of scratch a 10-row × 16-column block of partial sums needs.</summary>
    public const int ScratchFloats = 10 * 16 * 16;

    /// <summary>
    /// Elements before the first 64-byte boundary of <paramref name="a"/> when every row of A (stride lda) shares
    /// that alignment, else 0 (no head).
    /// </summary>
    public static int Head(float* a, long lda, int k)
    {
        if ((lda & 15) != 0 || k < 64 || ((nint)a & 3) != 0) return 0;
        return (int)((16 - (((nint)a >> 2) & 15)) & 15);
    }

    // partial[(i·16 + j)·16 ..] = 16-lane partial sums of A[i, :]·B[j, :] (lane q: terms p ≡ q mod 16) for i < 10, j < 2;
    // rowsA ≤ 10, rowsB ≤ 2, head = elements before A's first 64-byte boundary (0 ≤ head < 16), run as a masked block.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot10x2(int k, float* a, long lda, int rowsA, float* b, long ldb, int rowsB, int head, float* partial)
    {
        float* a0 = a + Math.Min(0, rowsA - 1) * lda;
        float* a1 = a + Math.Min(1, rowsA - 1) * lda;
        float* a2 = a + Math.Min(2, rowsA - 1) * lda;
        float* a3 = a + Math.Min(3, rowsA - 1) * lda;
        float* a4 = a + Math.Min(4, rowsA - 1) * lda;
        float* a5 = a + Math.Min(5, rowsA - 1) * lda;
        float* a6 = a + Math.Min(6, rowsA - 1) * lda;
        float* a7 = a + Math.Min(7, rowsA - 1) * lda;
        float* a8 = a + Math.Min(8, rowsA - 1) * lda;
        float* a9 = a + Math.Min(9, rowsA - 1) * lda;
        float* b0 = b + Math.Min(0, rowsB - 1) * ldb;
        float* b1 = b + Math.Min(1, rowsB - 1) * ldb;
        Vector512<float> s0_0 = default; Vector512<float> s0_1 = default; Vector512<float> s1_0 = default; Vector512<float> s1_1 = default; Vector512<float> s2_0 = default; Vector512<float> s2_1 = default; Vector512<float> s3_0 = default; Vector512<float> s3_1 = default; Vector512<float> s4_0 = default; Vector512<float> s4_1 = default; Vector512<float> s5_0 = default; Vector512<float> s5_1 = default; Vector512<float> s6_0 = default; Vector512<float> s6_1 = default; Vector512<float> s7_0 = default; Vector512<float> s7_1 = default; Vector512<float> s8_0 = default; Vector512<float> s8_1 = default; Vector512<float> s9_0 = default; Vector512<float> s9_1 = default;
        int p = 0;
        if (head != 0)
        {
            // Lanes 16 − head … 15 of the block ending at element head; masked lanes read nothing.
            var mask = Masks512.Last(head);
            p = head - 16;
            var y0 = Avx512F.MaskLoad(b0 + p, mask, Vector512<float>.Zero);
            var y1 = Avx512F.MaskLoad(b1 + p, mask, Vector512<float>.Zero);
            var x0 = Avx512F.MaskLoad(a0 + p, mask, Vector512<float>.Zero);
            s0_0 = Vector512.FusedMultiplyAdd(x0, y0, s0_0);
            s0_1 = Vector512.FusedMultiplyAdd(x0, y1, s0_1);
            var x1 = Avx512F.MaskLoad(a1 + p, mask, Vector512<float>.Zero);
            s1_0 = Vector512.FusedMultiplyAdd(x1, y0, s1_0);
            s1_1 = Vector512.FusedMultiplyAdd(x1, y1, s1_1);
            var x2 = Avx512F.MaskLoad(a2 + p, mask, Vector512<float>.Zero);
            s2_0 = Vector512.FusedMultiplyAdd(x2, y0, s2_0);
            s2_1 = Vector512.FusedMultiplyAdd(x2, y1, s2_1);
            var x3 = Avx512F.MaskLoad(a3 + p, mask, Vector512<float>.Zero);
            s3_0 = Vector512.FusedMultiplyAdd(x3, y0, s3_0);
            s3_1 = Vector512.FusedMultiplyAdd(x3, y1, s3_1);
            var x4 = Avx512F.MaskLoad(a4 + p, mask, Vector512<float>.Zero);
            s4_0 = Vector512.FusedMultiplyAdd(x4, y0, s4_0);
            s4_1 = Vector512.FusedMultiplyAdd(x4, y1, s4_1);
            var x5 = Avx512F.MaskLoad(a5 + p, mask, Vector512<float>.Zero);
            s5_0 = Vector512.FusedMultiplyAdd(x5, y0, s5_0);
            s5_1 = Vector512.FusedMultiplyAdd(x5, y1, s5_1);
            var x6 = Avx512F.MaskLoad(a6 + p, mask, Vector512<float>.Zero);
            s6_0 = Vector512.FusedMultiplyAdd(x6, y0, s6_0);
            s6_1 = Vector512.FusedMultiplyAdd(x6, y1, s6_1);
            var x7 = Avx512F.MaskLoad(a7 + p, mask, Vector512<float>.Zero);
            s7_0 = Vector512.FusedMultiplyAdd(x7, y0, s7_0);
            s7_1 = Vector512.FusedMultiplyAdd(x7, y1, s7_1);
            var x8 = Avx512F.MaskLoad(a8 + p, mask, Vector512<float>.Zero);
            s8_0 = Vector512.FusedMultiplyAdd(x8, y0, s8_0);
            s8_1 = Vector512.FusedMultiplyAdd(x8, y1, s8_1);
            var x9 = Avx512F.MaskLoad(a9 + p, mask, Vector512<float>.Zero);
            s9_0 = Vector512.FusedMultiplyAdd(x9, y0, s9_0);
            s9_1 = Vector512.FusedMultiplyAdd(x9, y1, s9_1);
            p = head;
        }

        for (; p + 16 <= k; p += 16)
        {
            var y0 = Vector512.Load(b0 + p);
            var y1 = Vector512.Load(b1 + p);
            var x0 = Vector512.Load(a0 + p);
            s0_0 = Vector512.FusedMultiplyAdd(x0, y0, s0_0);
            s0_1 = Vector512.FusedMultiplyAdd(x0, y1, s0_1);
            var x1 = Vector512.Load(a1 + p);
            s1_0 = Vector512.FusedMultiplyAdd(x1, y0, s1_0);
            s1_1 = Vector512.FusedMultiplyAdd(x1, y1, s1_1);
            var x2 = Vector512.Load(a2 + p);
            s2_0 = Vector512.FusedMultiplyAdd(x2, y0, s2_0);
            s2_1 = Vector512.FusedMultiplyAdd(x2, y1, s2_1);
            var x3 = Vector512.Load(a3 + p);
            s3_0 = Vector512.FusedMultiplyAdd(x3, y0, s3_0);
            s3_1 = Vector512.FusedMultiplyAdd(x3, y1, s3_1);
            var x4 = Vector512.Load(a4 + p);
            s4_0 = Vector512.FusedMultiplyAdd(x4, y0, s4_0);
            s4_1 = Vector512.FusedMultiplyAdd(x4, y1, s4_1);
            var x5 = Vector512.Load(a5 + p);
            s5_0 = Vector512.FusedMultiplyAdd(x5, y0, s5_0);
            s5_1 = Vector512.FusedMultiplyAdd(x5, y1, s5_1);
            var x6 = Vector512.Load(a6 + p);
            s6_0 = Vector512.FusedMultiplyAdd(x6, y0, s6_0);
            s6_1 = Vector512.FusedMultiplyAdd(x6, y1, s6_1);
            var x7 = Vector512.Load(a7 + p);
            s7_0 = Vector512.FusedMultiplyAdd(x7, y0, s7_0);
            s7_1 = Vector512.FusedMultiplyAdd(x7, y1, s7_1);
            var x8 = Vector512.Load(a8 + p);
            s8_0 = Vector512.FusedMultiplyAdd(x8, y0, s8_0);
            s8_1 = Vector512.FusedMultiplyAdd(x8, y1, s8_1);
            var x9 = Vector512.Load(a9 + p);
            s9_0 = Vector512.FusedMultiplyAdd(x9, y0, s9_0);
            s9_1 = Vector512.FusedMultiplyAdd(x9, y1, s9_1);
        }

        if (p < k)
        {
            var mask = Masks512.First(k - p);
            var y0 = Avx512F.MaskLoad(b0 + p, mask, Vector512<float>.Zero);
            var y1 = Avx512F.MaskLoad(b1 + p, mask, Vector512<float>.Zero);
            var x0 = Avx512F.MaskLoad(a0 + p, mask, Vector512<float>.Zero);
            s0_0 = Vector512.FusedMultiplyAdd(x0, y0, s0_0);
            s0_1 = Vector512.FusedMultiplyAdd(x0, y1, s0_1);
            var x1 = Avx512F.MaskLoad(a1 + p, mask, Vector512<float>.Zero);
            s1_0 = Vector512.FusedMultiplyAdd(x1, y0, s1_0);
            s1_1 = Vector512.FusedMultiplyAdd(x1, y1, s1_1);
            var x2 = Avx512F.MaskLoad(a2 + p, mask, Vector512<float>.Zero);
            s2_0 = Vector512.FusedMultiplyAdd(x2, y0, s2_0);
            s2_1 = Vector512.FusedMultiplyAdd(x2, y1, s2_1);
            var x3 = Avx512F.MaskLoad(a3 + p, mask, Vector512<float>.Zero);
            s3_0 = Vector512.FusedMultiplyAdd(x3, y0, s3_0);
            s3_1 = Vector512.FusedMultiplyAdd(x3, y1, s3_1);
            var x4 = Avx512F.MaskLoad(a4 + p, mask, Vector512<float>.Zero);
            s4_0 = Vector512.FusedMultiplyAdd(x4, y0, s4_0);
            s4_1 = Vector512.FusedMultiplyAdd(x4, y1, s4_1);
            var x5 = Avx512F.MaskLoad(a5 + p, mask, Vector512<float>.Zero);
            s5_0 = Vector512.FusedMultiplyAdd(x5, y0, s5_0);
            s5_1 = Vector512.FusedMultiplyAdd(x5, y1, s5_1);
            var x6 = Avx512F.MaskLoad(a6 + p, mask, Vector512<float>.Zero);
            s6_0 = Vector512.FusedMultiplyAdd(x6, y0, s6_0);
            s6_1 = Vector512.FusedMultiplyAdd(x6, y1, s6_1);
            var x7 = Avx512F.MaskLoad(a7 + p, mask, Vector512<float>.Zero);
            s7_0 = Vector512.FusedMultiplyAdd(x7, y0, s7_0);
            s7_1 = Vector512.FusedMultiplyAdd(x7, y1, s7_1);
            var x8 = Avx512F.MaskLoad(a8 + p, mask, Vector512<float>.Zero);
            s8_0 = Vector512.FusedMultiplyAdd(x8, y0, s8_0);
            s8_1 = Vector512.FusedMultiplyAdd(x8, y1, s8_1);
            var x9 = Avx512F.MaskLoad(a9 + p, mask, Vector512<float>.Zero);
            s9_0 = Vector512.FusedMultiplyAdd(x9, y0, s9_0);
            s9_1 = Vector512.FusedMultiplyAdd(x9, y1, s9_1);
        }

        if (head != 0)
        {
            // Lane l summed the terms p ≡ head + l; put them back in lane (head + l) mod 16.
            var rotate = (Vector512<int>.Indices - Vector512.Create(head)) & Vector512.Create(15);
            s0_0 = Avx512F.PermuteVar16x32(s0_0, rotate);
            s0_1 = Avx512F.PermuteVar16x32(s0_1, rotate);
            s1_0 = Avx512F.PermuteVar16x32(s1_0, rotate);
            s1_1 = Avx512F.PermuteVar16x32(s1_1, rotate);
            s2_0 = Avx512F.PermuteVar16x32(s2_0, rotate);
            s2_1 = Avx512F.PermuteVar16x32(s2_1, rotate);
            s3_0 = Avx512F.PermuteVar16x32(s3_0, rotate);
            s3_1 = Avx512F.PermuteVar16x32(s3_1, rotate);
            s4_0 = Avx512F.PermuteVar16x32(s4_0, rotate);
            s4_1 = Avx512F.PermuteVar16x32(s4_1, rotate);
            s5_0 = Avx512F.PermuteVar16x32(s5_0, rotate);
            s5_1 = Avx512F.PermuteVar16x32(s5_1, rotate);
            s6_0 = Avx512F.PermuteVar16x32(s6_0, rotate);
            s6_1 = Avx512F.PermuteVar16x32(s6_1, rotate);
            s7_0 = Avx512F.PermuteVar16x32(s7_0, rotate);
            s7_1 = Avx512F.PermuteVar16x32(s7_1, rotate);
            s8_0 = Avx512F.PermuteVar16x32(s8_0, rotate);
            s8_1 = Avx512F.PermuteVar16x32(s8_1, rotate);
            s9_0 = Avx512F.PermuteVar16x32(s9_0, rotate);
            s9_1 = Avx512F.PermuteVar16x32(s9_1, rotate);
        }

        s0_0.Store(partial + 0);
        s0_1.Store(partial + 16);
        s1_0.Store(partial + 256);
        s1_1.Store(partial + 272);
        s2_0.Store(partial + 512);
        s2_1.Store(partial + 528);
        s3_0.Store(partial + 768);
        s3_1.Store(partial + 784);
        s4_0.Store(partial + 1024);
        s4_1.Store(partial + 1040);
        s5_0.Store(partial + 1280);
        s5_1.Store(partial + 1296);
        s6_0.Store(partial + 1536);
        s6_1.Store(partial + 1552);
        s7_0.Store(partial + 1792);
        s7_1.Store(partial + 1808);
        s8_0.Store(partial + 2048);
        s8_1.Store(partial + 2064);
        s9_0.Store(partial + 2304);
        s9_1.Store(partial + 2320);
    }

    // C[0, 0..cols) = α·(Σ lanes of partial[j·16 ..] for j < cols) + β·C; cols ≤ 16. Partials j ≥ cols are ignored.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Reduce16(float* partial, int cols, float* c, float alpha, float beta)
    {
        // Pairs within lanes: [v0 x0+x1, v0 x2+x3, v1 x0+x1, v1 x2+x3] per 128-bit lane.
        var h0 = Pairs(partial, 0); var h1 = Pairs(partial, 2); var h2 = Pairs(partial, 4); var h3 = Pairs(partial, 6);
        var h4 = Pairs(partial, 8); var h5 = Pairs(partial, 10); var h6 = Pairs(partial, 12); var h7 = Pairs(partial, 14);
        // Lane sums: [v0, v1, v2, v3] per lane.
        var g0 = Avx512F.Shuffle(h0, h1, 0x88) + Avx512F.Shuffle(h0, h1, 0xDD);
        var g1 = Avx512F.Shuffle(h2, h3, 0x88) + Avx512F.Shuffle(h2, h3, 0xDD);
        var g2 = Avx512F.Shuffle(h4, h5, 0x88) + Avx512F.Shuffle(h4, h5, 0xDD);
        var g3 = Avx512F.Shuffle(h6, h7, 0x88) + Avx512F.Shuffle(h6, h7, 0xDD);
        // Lanes 0+1 and 2+3: [v0..3 L0+L1, v0..3 L2+L3, v4..7 L0+L1, v4..7 L2+L3].
        var f0 = Avx512F.Shuffle4x128(g0, g1, 0x88) + Avx512F.Shuffle4x128(g0, g1, 0xDD);
        var f1 = Avx512F.Shuffle4x128(g2, g3, 0x88) + Avx512F.Shuffle4x128(g2, g3, 0xDD);
        // Halves: element j = (L0+L1) + (L2+L3) of v_j.
        var sum = Avx512F.Shuffle4x128(f0, f1, 0x88) + Avx512F.Shuffle4x128(f0, f1, 0xDD);
        var mask = Masks512.First(cols);
        var t = sum * Vector512.Create(alpha);
        Avx512F.MaskStore(c, mask, beta == 0 ? t : Vector512.FusedMultiplyAdd(Vector512.Create(beta), Avx512F.MaskLoad(c, mask, Vector512<float>.Zero), t));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pairs(float* partial, int j)
    {
        var u = Vector512.Load(partial + j * 16);
        var v = Vector512.Load(partial + (j + 1) * 16);
        return Avx512F.Shuffle(u, v, 0x88) + Avx512F.Shuffle(u, v, 0xDD);
    }
}

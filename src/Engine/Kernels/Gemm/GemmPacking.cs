using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DlBook.Engine.Kernels;

/// <summary>
/// Copies panels of op(A) and op(B) into the layouts the micro-kernels stream:
/// A as rows of KC values (row stride <see cref="GemmBlocking.AStride"/>), B as micro-panels of KC rows × NR columns.
/// The non-transposed A and B are plain row copies; the transposed ones go through 8×8 in-register transposes.
/// </summary>
internal static unsafe class GemmPacking
{
    private const int AS = GemmBlocking.AStride;

    /// <summary>
    /// Packs op(A)[ic..ic+mc, pc..pc+kc] into <paramref name="dst"/> (row r at dst + r·AS), zero-padding rows up to a multiple of <paramref name="mr"/>.
    /// </summary>
    public static void PackA(Transpose transA, float* a, int lda, int ic, int pc, int mc, int kc, int mr, bool useAvx, float* dst)
    {
        if (transA == Transpose.No)
        {
            // op(A)(i, p) = a[i·lda + p]: each packed row is a contiguous slice (up to KC floats: memmove's size).
            for (int r = 0; r < mc; r++)
                Buffer.MemoryCopy(a + (long)(ic + r) * lda + pc, dst + r * AS, kc * sizeof(float), kc * sizeof(float));
        }
        else
        {
            // op(A)(i, p) = a[p·lda + i]: rows of the packed block are columns of the stored matrix.
            TransposeInto(a + (long)pc * lda + ic, lda, dst, AS, kc, mc, useAvx);
        }

        int padded = (mc + mr - 1) / mr * mr;
        for (int r = mc; r < padded; r++)
            new Span<float>(dst + r * AS, kc).Clear();
    }

    /// <summary>
    /// Packs op(B)[pc..pc+kc, jc..jc+nc] into micro-panels of kc×<paramref name="nr"/> (panel q at dst + q·kc·nr), zero-padding the last panel's columns.
    /// </summary>
    public static void PackB(Transpose transB, float* b, int ldb, int pc, int jc, int kc, int nc, int nr, bool useAvx, float* dst)
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int nv = Math.Min(nr, nc - j0);
            float* panel = dst + (long)j0 * kc;
            if (transB == Transpose.No)
            {
                // op(B)(p, j) = b[p·ldb + j]: each packed row is a contiguous slice of at most NR floats.
                float* src = b + (long)pc * ldb + jc + j0;
                for (int p = 0; p < kc; p++)
                    RowRuns.Copy(src + (long)p * ldb, panel + p * nr, nv);
            }
            else
            {
                // op(B)(p, j) = b[j·ldb + p]: the panel is the transpose of nv stored rows.
                TransposeInto(b + (long)(jc + j0) * ldb + pc, ldb, panel, nr, nv, kc, useAvx);
            }

            if (nv < nr)
                for (int p = 0; p < kc; p++)
                    new Span<float>(panel + p * nr + nv, nr - nv).Clear();
        }
    }

    /// <summary>dst[c·dstStride + r] = src[r·srcStride + c] for r &lt; rows, c &lt; cols.</summary>
    private static void TransposeInto(float* src, int srcStride, float* dst, int dstStride, int rows, int cols, bool useAvx)
    {
        int r8 = useAvx ? rows & ~7 : 0, c8 = useAvx ? cols & ~7 : 0;
        for (int r = 0; r < r8; r += 8)
            for (int c = 0; c < c8; c += 8)
                Transpose8x8(src + (long)r * srcStride + c, srcStride, dst + (long)c * dstStride + r, dstStride);

        // Ragged right and bottom edges, element by element.
        for (int r = 0; r < rows; r++)
        {
            int cStart = r < r8 ? c8 : 0;
            float* s = src + (long)r * srcStride;
            for (int c = cStart; c < cols; c++)
                dst[(long)c * dstStride + r] = s[c];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, int ss, float* d, int ds)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + ss);
        var r2 = Avx.LoadVector256(s + 2 * ss);
        var r3 = Avx.LoadVector256(s + 3 * ss);
        var r4 = Avx.LoadVector256(s + 4 * ss);
        var r5 = Avx.LoadVector256(s + 5 * ss);
        var r6 = Avx.LoadVector256(s + 6 * ss);
        var r7 = Avx.LoadVector256(s + 7 * ss);

        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);

        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ds, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ds, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ds, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ds, Avx.Permute2x128(u3, u7, 0x31));
    }
}

using System.Runtime.CompilerServices;

namespace DlBook.Engine.Kernels;

/// <summary>
/// The no-pack path for small and skinny problems (the book's batch-10 Dense layer shapes): no packing,
/// no allocation, no threads — per-call overhead decides at this size, not FLOP rate.
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemmSmall
{
    /// <summary>Below this many multiply-adds the packed path's packing and blocking do not pay for themselves.</summary>
    private const long SmallWork = 1L << 21;

    /// <summary>Up to this size a skinny problem (few rows, or a short k) still runs without packing.</summary>
    private const long SkinnyWork = 1L << 24;

    /// <summary>Most floats of a transposed short-k B kept on the stack (16 KB).</summary>
    private const int TransposedB = 4096;

    /// <summary>Whether the no-pack path takes this problem; depends on shape only, never on the thread count.</summary>
    public static bool Accepts(Transpose transA, Transpose transB, int m, int n, int k)
    {
        long work = (long)m * n * k;
        if (transB == Transpose.No)
            return work <= SmallWork || ((m <= 12 || k <= 16) && work <= SkinnyWork);
        // C = A·Bᵀ with a short k (the book's 30→30 and 30→10 layers): B is small, so transpose it onto the stack
        // and use the outer-product tiles; dot-product tiles would spend more on horizontal sums than on FMAs.
        if (k < 32)
            return (long)k * PaddedN(n) <= TransposedB && work <= SmallWork;
        // C = A·Bᵀ with both contiguous along k: dot-product tiles, worthwhile only with a long k.
        return transA == Transpose.No
            && (work <= SmallWork || ((m <= 12 || n <= 12) && work <= SkinnyWork));
    }

    public static void Run(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (transB == Transpose.No)
            RunOuter(transA, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else if (k < 32)
        {
            // bt: [k, nPad] = Bᵀ, zero in the padding columns.
            int nPad = PaddedN(n);
            float* bt = stackalloc float[k * nPad];
            SmallTranspose512.Run(b, ldb, n, k, bt, nPad);
            RunOuter(transA, m, n, k, alpha, a, lda, bt, nPad, beta, c, ldc);
        }
        else
            RunDot(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static int PaddedN(int n) => (n + 15) & ~15;

    private static void RunOuter(Transpose transA, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        // op(A)(i, p) = a[i·rsA + p·csA].
        long rsA = transA == Transpose.No ? lda : 1;
        long csA = transA == Transpose.No ? 1 : lda;
        int blocks = (m + 5) / 6;
        for (int blk = 0, i0 = 0; blk < blocks; blk++)
        {
            // Balanced row blocks (10 rows → 5 + 5, not 6 + 4) waste fewer aliased rows.
            int rows = (m - i0 + (blocks - blk) - 1) / (blocks - blk);
            float* ai = a + i0 * rsA;
            float* ci = c + (long)i0 * ldc;
            int j = 0;
            for (; j + 64 <= n; j += 64)
                SmallKernels512.Outer6x64(k, ai, rsA, csA, rows, b + j, ldb, ci + j, ldc, alpha, beta);
            for (; j + 16 < n; j += 32)
                SmallKernels512Pair.Outer6x32Masked(k, ai, rsA, csA, rows, b + j, ldb, ci + j, ldc, Math.Min(32, n - j), alpha, beta);
            if (j < n)
                SmallKernels512.Outer6x16Masked(k, ai, rsA, csA, rows, b + j, ldb, ci + j, ldc, n - j, alpha, beta);
            i0 += rows;
        }
    }

    private static void RunDot(int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m <= 10)
        {
            // All rows of A in one tile, so each row of B (the big operand when m is a mini-batch) is read once;
            // 16 columns at a time, partial sums parked in scratch and reduced 16 outputs per add tree.
            float* partial = stackalloc float[SmallKernels512Dot.ScratchFloats];
            int head = SmallKernels512Dot.Head(a, lda, k);
            for (int j0 = 0; j0 < n; j0 += 16)
            {
                int cols = Math.Min(16, n - j0);
                for (int j = 0; j < cols; j += 2)
                    SmallKernels512Dot.Dot10x2(k, a, lda, m, b + (long)(j0 + j) * ldb, ldb, Math.Min(2, cols - j), head, partial + j * 16);
                for (int i = 0; i < m; i++)
                    SmallKernels512Dot.Reduce16(partial + i * 256, cols, c + (long)i * ldc + j0, alpha, beta);
            }
            return;
        }

        int rowBlocks = (m + 4) / 5, colBlocks = (n + 3) / 4;
        for (int rb = 0, i0 = 0; rb < rowBlocks; rb++)
        {
            int rows = (m - i0 + (rowBlocks - rb) - 1) / (rowBlocks - rb);
            for (int cb = 0, j0 = 0; cb < colBlocks; cb++)
            {
                int cols = (n - j0 + (colBlocks - cb) - 1) / (colBlocks - cb);
                SmallKernels512.Dot5x4(k, a + (long)i0 * lda, lda, rows, b + (long)j0 * ldb, ldb, cols,
                    c + (long)i0 * ldc + j0, ldc, alpha, beta);
                j0 += cols;
            }

            i0 += rows;
        }
    }
}

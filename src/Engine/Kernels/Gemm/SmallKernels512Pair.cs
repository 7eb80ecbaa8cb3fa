using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DlBook.Engine.Kernels;

/// <summary>
/// The no-pack outer-product tile for a column tail of 17–32: 6 rows × (16 + up to 16 masked) columns, twelve
/// accumulators, so the book's 30-wide Dense shapes take one tile per row block instead of two latency-bound
/// 6×16 tiles. Same arithmetic per element as <see cref="SmallKernels512"/> (FMA chain over p from zero, then α and β),
/// so which tile computes an element never changes its bits. Rows past the valid count alias the last valid row and are never stored.
/// </summary>
[SkipLocalsInit]
internal static unsafe class SmallKernels512Pair
{
    // C[rows, nValid] = α·op(A)[rows, k]·B[k, nValid] + β·C, with op(A)(i, p) = a[i·rsA + p·csA]; 16 < nValid ≤ 32.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Outer6x32Masked(int k, float* a, long rsA, long csA, int rows, float* b, long ldb, float* c, long ldc, int nValid, float alpha, float beta)
    {
        float* a0 = a;
        float* a1 = a + Math.Min(1, rows - 1) * rsA;
        float* a2 = a + Math.Min(2, rows - 1) * rsA;
        float* a3 = a + Math.Min(3, rows - 1) * rsA;
        float* a4 = a + Math.Min(4, rows - 1) * rsA;
        float* a5 = a + Math.Min(5, rows - 1) * rsA;
        var mask = Masks512.First(nValid - 16);
        Vector512<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default;
        Vector512<float> c3_0 = default, c3_1 = default, c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default;
        long o = 0;
        for (int p = 0; p < k; p++, o += csA)
        {
            float* bp = b + p * ldb;
            var b0 = Vector512.Load(bp);
            var b1 = Avx512F.MaskLoad(bp + 16, mask, Vector512<float>.Zero);
            var x0 = Vector512.Create(a0[o]);
            c0_0 = Vector512.FusedMultiplyAdd(x0, b0, c0_0);
            c0_1 = Vector512.FusedMultiplyAdd(x0, b1, c0_1);
            var x1 = Vector512.Create(a1[o]);
            c1_0 = Vector512.FusedMultiplyAdd(x1, b0, c1_0);
            c1_1 = Vector512.FusedMultiplyAdd(x1, b1, c1_1);
            var x2 = Vector512.Create(a2[o]);
            c2_0 = Vector512.FusedMultiplyAdd(x2, b0, c2_0);
            c2_1 = Vector512.FusedMultiplyAdd(x2, b1, c2_1);
            var x3 = Vector512.Create(a3[o]);
            c3_0 = Vector512.FusedMultiplyAdd(x3, b0, c3_0);
            c3_1 = Vector512.FusedMultiplyAdd(x3, b1, c3_1);
            var x4 = Vector512.Create(a4[o]);
            c4_0 = Vector512.FusedMultiplyAdd(x4, b0, c4_0);
            c4_1 = Vector512.FusedMultiplyAdd(x4, b1, c4_1);
            var x5 = Vector512.Create(a5[o]);
            c5_0 = Vector512.FusedMultiplyAdd(x5, b0, c5_0);
            c5_1 = Vector512.FusedMultiplyAdd(x5, b1, c5_1);
        }

        var alphaV = Vector512.Create(alpha);
        var betaV = Vector512.Create(beta);
        bool betaZero = beta == 0;
        StorePair(c, c0_0, c0_1, mask, alphaV, betaV, betaZero);
        if (rows > 1) StorePair(c + 1 * ldc, c1_0, c1_1, mask, alphaV, betaV, betaZero);
        if (rows > 2) StorePair(c + 2 * ldc, c2_0, c2_1, mask, alphaV, betaV, betaZero);
        if (rows > 3) StorePair(c + 3 * ldc, c3_0, c3_1, mask, alphaV, betaV, betaZero);
        if (rows > 4) StorePair(c + 4 * ldc, c4_0, c4_1, mask, alphaV, betaV, betaZero);
        if (rows > 5) StorePair(c + 5 * ldc, c5_0, c5_1, mask, alphaV, betaV, betaZero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair(float* c, Vector512<float> lo, Vector512<float> hi, Vector512<float> mask, Vector512<float> alphaV, Vector512<float> betaV, bool betaZero)
    {
        var t = lo * alphaV;
        (betaZero ? t : Vector512.FusedMultiplyAdd(betaV, Vector512.Load(c), t)).Store(c);
        var u = hi * alphaV;
        Avx512F.MaskStore(c + 16, mask, betaZero ? u : Vector512.FusedMultiplyAdd(betaV, Avx512F.MaskLoad(c + 16, mask, Vector512<float>.Zero), u));
    }
}

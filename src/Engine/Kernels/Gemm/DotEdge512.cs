using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DlBook.Engine.Kernels;

/// <summary>
/// AVX-512 edge for the last panel of a B that leaves at most <see cref="MaxColumns"/> columns in it (the char model's
/// 65 classes: 64 + 1): each element of C as a dot product of a packed A row and a B column, 16 lanes along k. A
/// 12×16 tile would spend k multiply-adds a row on 16 columns for the one or few that exist; this spends k/16 a
/// column. The sum runs over four 16-lane partial sums (lane chunk q into sum q mod 4), then
/// ((s₀ + s₁) + (s₂ + s₃)) across lanes, then the k tail in order; C = fma(β, C, α·acc). Which columns take this path
/// depends on n alone (thread ranges and NC blocks start at multiples of 32), so the bits never depend on the split.
/// </summary>
[SkipLocalsInit]
internal static unsafe class DotEdge512
{
    public const int MaxColumns = 4;
    private const int AS = GemmBlocking.AStride, KC = GemmBlocking.KC;

    /// <summary>C[0..mc, 0..nv) for packed A rows at pa + r·AS (kc values each) and a packed B panel [kc][nr] at pb.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* pa, int mc, float* pb, int nr, int nv, float* c, int ldc, float alpha, float beta)
    {
        // The panel's columns, each contiguous along k.
        float* cols = stackalloc float[MaxColumns * KC];
        for (int p = 0; p < kc; p++)
            for (int j = 0; j < nv; j++) cols[j * KC + p] = pb[p * nr + j];
        int vec = kc & ~15;
        for (int r = 0; r < mc; r++)
        {
            float* a = pa + r * AS;
            for (int j = 0; j < nv; j++)
            {
                float* b = cols + j * KC;
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                int p = 0;
                for (; p + 64 <= vec; p += 64)
                {
                    s0 = Vector512.FusedMultiplyAdd(Vector512.Load(a + p), Vector512.Load(b + p), s0);
                    s1 = Vector512.FusedMultiplyAdd(Vector512.Load(a + p + 16), Vector512.Load(b + p + 16), s1);
                    s2 = Vector512.FusedMultiplyAdd(Vector512.Load(a + p + 32), Vector512.Load(b + p + 32), s2);
                    s3 = Vector512.FusedMultiplyAdd(Vector512.Load(a + p + 48), Vector512.Load(b + p + 48), s3);
                }
                if (p < vec) { s0 = Vector512.FusedMultiplyAdd(Vector512.Load(a + p), Vector512.Load(b + p), s0); p += 16; }
                if (p < vec) { s1 = Vector512.FusedMultiplyAdd(Vector512.Load(a + p), Vector512.Load(b + p), s1); p += 16; }
                if (p < vec) { s2 = Vector512.FusedMultiplyAdd(Vector512.Load(a + p), Vector512.Load(b + p), s2); p += 16; }
                float acc = Vector512.Sum((s0 + s1) + (s2 + s3));
                for (; p < kc; p++) acc = MathF.FusedMultiplyAdd(a[p], b[p], acc);
                float* cij = c + (long)r * ldc + j;
                *cij = beta == 0 ? alpha * acc : MathF.FusedMultiplyAdd(beta, *cij, alpha * acc);
            }
        }
    }
}

using DlBook.Engine.Kernels;

namespace DlBook.Engine.Tests.Kernels;

/// <summary>
/// One random GEMM problem with padded leading dimensions: padding of A and B holds NaN (so a read outside
/// the matrix poisons the result) and padding of C holds a sentinel (so a write outside it is seen).
/// </summary>
internal sealed class GemmProblem
{
    public const float Sentinel = -12345.5f;

    public GemmProblem(Transpose transA, Transpose transB, int m, int n, int k, float alpha, float beta, int seed, int pad = 3)
    {
        (TransA, TransB, M, N, K, Alpha, Beta) = (transA, transB, m, n, k, alpha, beta);
        var rng = new System.Random(seed);
        int aRows = transA == Transpose.No ? m : k, aCols = transA == Transpose.No ? k : m;
        int bRows = transB == Transpose.No ? k : n, bCols = transB == Transpose.No ? n : k;
        Lda = aCols + pad;
        Ldb = bCols + pad;
        Ldc = n + pad;
        A = Fill(rng, aRows, aCols, Lda, float.NaN);
        B = Fill(rng, bRows, bCols, Ldb, float.NaN);
        C = Fill(rng, m, n, Ldc, Sentinel);
        if (beta == 0)
            for (int i = 0; i < m; i++)
                C.AsSpan(i * Ldc, n).Fill(float.NaN);
    }

    public Transpose TransA { get; }
    public Transpose TransB { get; }
    public int M { get; }
    public int N { get; }
    public int K { get; }
    public float Alpha { get; }
    public float Beta { get; }
    public int Lda { get; }
    public int Ldb { get; }
    public int Ldc { get; }
    public float[] A { get; }
    public float[] B { get; }
    public float[] C { get; }

    /// <summary>Runs the fast GEMM on a copy of C.</summary>
    public float[] RunFast()
    {
        var c = (float[])C.Clone();
        Gemm.Multiply(TransA, TransB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, c, Ldc);
        return c;
    }

    /// <summary>Asserts fast ≈ reference within (k+2)·eps·(|α|·Σ|a||b| + |β·c|) per element, and padding untouched.</summary>
    public void AssertMatchesReference(float[] fast)
    {
        var reference = (float[])C.Clone();
        GemmReference.Multiply(TransA, TransB, M, N, K, Alpha, Strip(A), Lda, Strip(B), Ldb, Beta, reference, Ldc);
        var absA = Abs(A);
        var absB = Abs(B);
        var bound = new float[C.Length];
        GemmReference.Multiply(TransA, TransB, M, N, K, MathF.Abs(Alpha), absA, Lda, absB, Ldb, 0, bound, Ldc);
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                int at = i * Ldc + j;
                float scale = bound[at] + (Beta == 0 ? 0 : MathF.Abs(Beta * C[at]));
                float tol = (K + 2) * 1.2e-7f * scale + 1e-30f;
                float err = MathF.Abs(fast[at] - reference[at]);
                if (!(err <= tol))
                    Assert.Fail($"{Describe()}: C[{i},{j}] = {fast[at]}, reference {reference[at]}, |diff| {err} > tolerance {tol}");
            }

            for (int j = N; j < Ldc && i * Ldc + j < C.Length; j++)
                Assert.Equal(Sentinel, fast[i * Ldc + j]);
        }
    }

    public string Describe() => $"{TransA}/{TransB} m={M} n={N} k={K} α={Alpha} β={Beta}";

    private static float[] Fill(System.Random rng, int rows, int cols, int ld, float padding)
    {
        var x = new float[Math.Max(0, rows * ld)];
        Array.Fill(x, padding);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                x[i * ld + j] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    // The reference reads only inside the matrix, but NaN padding would still poison |x| copies: zero it there.
    private static float[] Strip(float[] x) => x.Select(v => float.IsNaN(v) ? 0 : v).ToArray();

    private static float[] Abs(float[] x) => x.Select(v => float.IsNaN(v) ? 0 : MathF.Abs(v)).ToArray();
}

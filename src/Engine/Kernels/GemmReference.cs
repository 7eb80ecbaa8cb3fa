namespace DlBook.Engine.Kernels;

/// <summary>
/// The obviously-correct GEMM: C = α·op(A)·op(B) + β·C, row-major, with leading dimensions.
/// The fast <see cref="Gemm"/> is tested against it; nothing else should call it in a hot path.
/// </summary>
public static class GemmReference
{
    /// <summary>C[m×n] = α·op(A)[m×k]·op(B)[k×n] + β·C. lda/ldb/ldc are row strides of the stored matrices.</summary>
    public static void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int p = 0; p < k; p++)
            {
                float av = transA == Transpose.No ? a[i * lda + p] : a[p * lda + i];
                float bv = transB == Transpose.No ? b[p * ldb + j] : b[j * ldb + p];
                sum += (double)av * bv;
            }
            float prev = beta == 0 ? 0 : beta * c[i * ldc + j];
            c[i * ldc + j] = (float)(alpha * sum) + prev;
        }
    }
}

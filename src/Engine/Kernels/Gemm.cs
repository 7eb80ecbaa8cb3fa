namespace DlBook.Engine.Kernels;

/// <summary>
/// The one GEMM of the engine: C = α·op(A)·op(B) + β·C on row-major float32 matrices.
/// Dense layers, convolution (im2col) and recurrent gate products all go through here.
/// (Placeholder body: the packed, blocked, multi-threaded SIMD implementation replaces it.)
/// </summary>
public static class Gemm
{
    /// <summary>C[m×n] = α·op(A)[m×k]·op(B)[k×n] + β·C. lda/ldb/ldc are row strides of the stored matrices. β = 0 ignores C's old contents (NaN-safe).</summary>
    public static void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
        => GemmReference.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

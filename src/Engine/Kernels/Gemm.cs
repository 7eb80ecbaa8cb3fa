using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DlBook.Engine.Kernels;

/// <summary>
/// The one GEMM of the engine: C = α·op(A)·op(B) + β·C on row-major float32 matrices.
/// Dense layers, convolution (im2col) and recurrent gate products all go through here.
/// Large problems take the packed, cache-blocked path with an AVX-512 (12×32), AVX2 (6×16) or Vector128 (4×8)
/// micro-kernel, split over up to <see cref="MaxThreads"/> threads by output columns; small and skinny problems
/// take a no-pack, single-threaded path. Results are bit-identical run to run and for any thread count.
/// </summary>
public static class Gemm
{
    private static int maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// Most threads one call uses (default <see cref="Environment.ProcessorCount"/>). Problems below about 2·10⁶
    /// multiply-adds always run on the calling thread. The result does not depend on this value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxThreads
    {
        get => maxThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxThreads));
            maxThreads = value;
        }
    }

    /// <summary>Test hook, per calling thread (so parallel tests elsewhere are unaffected): run on this instruction set (Auto = the widest the CPU has).</summary>
    [ThreadStatic] internal static GemmIsa ForceIsa;

    /// <summary>Test hook, per calling thread: use this many threads instead of <see cref="MaxThreads"/> (0 = no override).</summary>
    [ThreadStatic] internal static int ForceThreads;

    /// <summary>The instruction set calls use now.</summary>
    internal static GemmIsa ActiveIsa => ForceIsa switch
    {
        GemmIsa.Auto when Avx512F.IsSupported && Vector512.IsHardwareAccelerated => GemmIsa.Avx512,
        GemmIsa.Auto when Avx2.IsSupported && Fma.IsSupported => GemmIsa.Avx2,
        GemmIsa.Auto => GemmIsa.Vector128,
        var forced => forced,
    };

    /// <summary>
    /// C[m×n] = α·op(A)[m×k]·op(B)[k×n] + β·C. lda/ldb/ldc are row strides of the stored matrices
    /// (A is stored m×k, or k×m when <paramref name="transA"/> is Yes; likewise B). β = 0 ignores C's old
    /// contents (NaN-safe). C must not overlap A or B.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">m, n or k is negative.</exception>
    /// <exception cref="ArgumentException">A leading dimension is smaller than its row, or a span is too short for its matrix.</exception>
    public static unsafe void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        bool ta = transA == Transpose.Yes, tb = transB == Transpose.Yes;
        CheckOperand("A", nameof(a), a.Length, ta ? k : m, ta ? m : k, lda, nameof(lda));
        CheckOperand("B", nameof(b), b.Length, tb ? n : k, tb ? k : n, ldb, nameof(ldb));
        CheckOperand("C", nameof(c), c.Length, m, n, ldc, nameof(ldc));

        fixed (float* pa = &MemoryMarshal.GetReference(a))
        fixed (float* pb = &MemoryMarshal.GetReference(b))
        fixed (float* pc = &MemoryMarshal.GetReference(c))
            Multiply(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    /// <summary>
    /// Pointer form of <see cref="Multiply(Transpose, Transpose, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// for callers that already hold pinned memory: the same contract, without the span length checks.
    /// </summary>
    public static unsafe void Multiply(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m <= 0 || n <= 0)
            return;
        if (k == 0 || alpha == 0)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }

        var isa = ActiveIsa;
        if (isa == GemmIsa.Avx512 && GemmSmall.Accepts(transA, transB, m, n, k))
            GemmSmall.Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else
            GemmParallel.Run(isa, ForceThreads > 0 ? ForceThreads : maxThreads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>
    /// C[m×n] = α·op(A)·op(B) + β·C on the calling thread with op(B) packed beforehand (<paramref name="packed"/>):
    /// always the packed micro-kernels, so the bits are those of the packed path of
    /// <see cref="Multiply(Transpose, Transpose, int, int, int, float, float*, int, float*, int, float, float*, int)"/>
    /// (which small problems do not take), without packing B again.
    /// </summary>
    internal static unsafe void MultiplyPrepacked(Transpose transA, int m, float alpha, float* a, int lda, GemmPackedB packed, float beta, float* c, int ldc)
    {
        int n = packed.N, k = packed.K;
        if (m <= 0 || n <= 0)
            return;
        if (k == 0 || alpha == 0)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }

        GemmPacked.RunPrepacked(packed, transA, m, alpha, a, lda, beta, c, ldc);
    }

    /// <summary>
    /// Convolution of one NCHW sample as an implicit GEMM on the calling thread: y[:, q0 .. q0 + n) =
    /// W[m × C·kh·kw]·im2col(x)[:, q0 .. q0 + n) + β·y, the patches packed straight from x (no col matrix), with
    /// the packed micro-kernels; y points at output column q0 and has row stride ldy (the output plane).
    /// </summary>
    internal static unsafe void MultiplyPatches(in ConvGeometry g, float* x, int q0, int n, int m, float* w, float beta, float* y, int ldy)
    {
        if (m <= 0 || n <= 0)
            return;
        if (g.PatchSize == 0)
        {
            ScaleC(m, n, beta, y, ldy);
            return;
        }
        GemmPacked.RunPatches(ActiveIsa, g, x, q0, n, m, w, beta, y, ldy);
    }

    /// <summary>C = β·C, with β = 0 writing zeros even over NaN.</summary>
    private static unsafe void ScaleC(int m, int n, float beta, float* c, int ldc)
    {
        if (beta == 1)
            return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0)
                row.Clear();
            else
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    private static void CheckOperand(string matrix, string spanName, int length, int rows, int cols, int ld, string ldName)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentException(
                $"Gemm: {ldName} = {ld} is smaller than the {cols} columns of the stored {matrix} ({rows}×{cols}); pass the row stride of {matrix}.",
                ldName);
        if (rows > 0 && cols > 0 && (long)(rows - 1) * ld + cols > length)
            throw new ArgumentException(
                $"Gemm: {matrix} holds {length} values but a {rows}×{cols} matrix with row stride {ld} needs {(long)(rows - 1) * ld + cols}; check the shape and the transpose flag.",
                spanName);
    }
}

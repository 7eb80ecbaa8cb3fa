using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace DlBook.Engine.Kernels;

/// <summary>
/// Copies and adds of short float runs (a GEMM panel row, an im2col row piece): 16 lanes at a time with a masked
/// tail. The runs are 32–256 floats, and a <c>memmove</c> or TensorPrimitives call per run cost about as much as
/// the work itself (6 % of the book CNN's training in its packing).
/// </summary>
internal static unsafe class RowRuns
{
    /// <summary>dst[0 .. n) = src[0 .. n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst, int n)
    {
        if (!Avx512F.IsSupported)
        {
            Buffer.MemoryCopy(src, dst, (long)n * sizeof(float), (long)n * sizeof(float));
            return;
        }
        int k = 0;
        for (; k <= n - 16; k += 16) Vector512.Load(src + k).Store(dst + k);
        if (k < n)
        {
            var mask = Masks512.First(n - k);
            Avx512F.MaskStore(dst + k, mask, Avx512F.MaskLoad(src + k, mask, Vector512<float>.Zero));
        }
    }

    /// <summary>dst[0 .. n) += src[0 .. n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* src, float* dst, int n)
    {
        if (!Avx512F.IsSupported)
        {
            var row = new Span<float>(dst, n);
            TensorPrimitives.Add(row, new ReadOnlySpan<float>(src, n), row);
            return;
        }
        int k = 0;
        for (; k <= n - 16; k += 16) (Vector512.Load(dst + k) + Vector512.Load(src + k)).Store(dst + k);
        if (k < n)
        {
            var mask = Masks512.First(n - k);
            var sum = Avx512F.MaskLoad(dst + k, mask, Vector512<float>.Zero) + Avx512F.MaskLoad(src + k, mask, Vector512<float>.Zero);
            Avx512F.MaskStore(dst + k, mask, sum);
        }
    }
}

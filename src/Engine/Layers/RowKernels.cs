using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using DlBook.Engine.Kernels;

namespace DlBook.Engine.Layers;

/// <summary>
/// Per-row loops of the Dense layer over a [rows, cols] buffer, in one pass with masked edges on AVX-512 (a
/// mini-batch of 10 rows of 30 would otherwise pay a library call per row). The arithmetic is the per-row
/// loops' own, in the same order, so the bits do not depend on which path runs.
/// </summary>
internal static unsafe class RowKernels
{
    /// <summary>y[r, :] = v for r &lt; rows. v: [cols], y: [rows, cols].</summary>
    public static void Broadcast(ReadOnlySpan<float> v, Span<float> y, int rows)
    {
        int cols = v.Length;
        if (!Avx512F.IsSupported)
        {
            for (int r = 0; r < rows; r++) v.CopyTo(y.Slice(r * cols, cols));
            return;
        }
        if ((long)rows * cols > y.Length) throw new ArgumentException($"The output ({y.Length}) is shorter than {rows}×{cols}.", nameof(y));
        // Row by row, 16 columns a store and a masked one for the rest (a library copy per row of 65 floats cost more
        // than the copy).
        int full = cols & ~15;
        var mask = Masks512.First(cols - full);
        fixed (float* pv = &MemoryMarshal.GetReference(v))
        fixed (float* py = &MemoryMarshal.GetReference(y))
        {
            var rest = Avx512F.MaskLoad(pv + full, mask, Vector512<float>.Zero);
            for (long r = 0; r < rows; r++)
            {
                float* row = py + r * cols;
                for (int j = 0; j < full; j += 16) Vector512.Load(pv + j).Store(row + j);
                if (full < cols) Avx512F.MaskStore(row + full, mask, rest);
            }
        }
    }

    /// <summary>s = Σ_r dy[r, :], summed in row order (s = dy₀ + dy₁ + …). dy: [rows, cols], s: [cols]; rows ≥ 1.</summary>
    public static void SumRows(ReadOnlySpan<float> dy, Span<float> s, int rows)
    {
        int cols = s.Length;
        if (!Avx512F.IsSupported || cols > 64)
        {
            dy[..cols].CopyTo(s);
            for (int r = 1; r < rows; r++) TensorPrimitives.Add(s, dy.Slice(r * cols, cols), s);
            return;
        }
        if ((long)rows * cols > dy.Length) throw new ArgumentException($"The gradient ({dy.Length}) is shorter than {rows}×{cols}.", nameof(dy));
        fixed (float* pd = &MemoryMarshal.GetReference(dy))
        fixed (float* ps = &MemoryMarshal.GetReference(s))
        {
            for (int j = 0; j < cols; j += 16)
            {
                var mask = Masks512.First(cols - j);
                var acc = Avx512F.MaskLoad(pd + j, mask, Vector512<float>.Zero);
                for (int r = 1; r < rows; r++) acc += Avx512F.MaskLoad(pd + (long)r * cols + j, mask, Vector512<float>.Zero);
                Avx512F.MaskStore(ps + j, mask, acc);
            }
        }
    }
}

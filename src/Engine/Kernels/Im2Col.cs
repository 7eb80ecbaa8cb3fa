using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace DlBook.Engine.Kernels;

/// <summary>
/// The patch matrix of one NCHW sample for convolution as a GEMM: row (c·kh + i)·kw + j of col holds, for every
/// output position (oy, ox), the input under tap (i, j) of channel c (zero in the padding), so y = W·col with W
/// viewed as [F, C·kh·kw]. <see cref="Accumulate"/> is the adjoint (col2im). Both walk whole output rows, so a
/// stride-1 row is one copy or one vector add.
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>col [C·kh·kw, OH·OW] ← patches of x [C, H, W].</summary>
    public static void Pack(in ConvGeometry g, float* x, float* col)
    {
        int oh = g.OutHeight, ow = g.OutWidth, plane = oh * ow;
        float* dst = col;
        for (int c = 0; c < g.Channels; c++)
        for (int i = 0; i < g.KernelHeight; i++)
        for (int j = 0; j < g.KernelWidth; j++, dst += plane)
        {
            int offset = j * g.DilationWidth - g.PadLeft;
            ValidColumns(g, offset, ow, out int lo, out int hi);
            for (int oy = 0; oy < oh; oy++)
            {
                float* d = dst + (long)oy * ow;
                int iy = oy * g.StrideHeight - g.PadTop + i * g.DilationHeight;
                if (iy < 0 || iy >= g.Height || lo >= hi)
                {
                    new Span<float>(d, ow).Clear();
                    continue;
                }
                float* src = x + ((long)c * g.Height + iy) * g.Width + offset;
                for (int ox = 0; ox < lo; ox++) d[ox] = 0;
                if (g.StrideWidth == 1)
                    new ReadOnlySpan<float>(src + lo, hi - lo).CopyTo(new Span<float>(d + lo, hi - lo));
                else
                    for (int ox = lo; ox < hi; ox++) d[ox] = src[(long)ox * g.StrideWidth];
                for (int ox = hi; ox < ow; ox++) d[ox] = 0;
            }
        }
    }

    /// <summary>dx [C, H, W] += the patches of col [C·kh·kw, OH·OW] put back where <see cref="Pack"/> took them.</summary>
    public static void Accumulate(in ConvGeometry g, float* col, float* dx)
    {
        int oh = g.OutHeight, ow = g.OutWidth, plane = oh * ow;
        float* src = col;
        for (int c = 0; c < g.Channels; c++)
        for (int i = 0; i < g.KernelHeight; i++)
        for (int j = 0; j < g.KernelWidth; j++, src += plane)
        {
            int offset = j * g.DilationWidth - g.PadLeft;
            ValidColumns(g, offset, ow, out int lo, out int hi);
            if (lo >= hi) continue;
            for (int oy = 0; oy < oh; oy++)
            {
                int iy = oy * g.StrideHeight - g.PadTop + i * g.DilationHeight;
                if (iy < 0 || iy >= g.Height) continue;
                float* s = src + (long)oy * ow;
                float* d = dx + ((long)c * g.Height + iy) * g.Width + offset;
                if (g.StrideWidth == 1)
                {
                    var row = new Span<float>(d + lo, hi - lo);
                    TensorPrimitives.Add(row, new ReadOnlySpan<float>(s + lo, hi - lo), row);
                }
                else
                    for (int ox = lo; ox < hi; ox++) d[(long)ox * g.StrideWidth] += s[ox];
            }
        }
    }

    // Output columns [lo, hi) whose tap ox·sw + offset lands inside [0, W).
    private static void ValidColumns(in ConvGeometry g, int offset, int ow, out int lo, out int hi)
    {
        int s = g.StrideWidth;
        lo = offset >= 0 ? 0 : (-offset + s - 1) / s;
        hi = g.Width - offset <= 0 ? 0 : (g.Width - offset + s - 1) / s;
        lo = Math.Min(lo, ow);
        hi = Math.Clamp(hi, lo, ow);
    }
}

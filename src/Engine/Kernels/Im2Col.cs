using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
                    RowRuns.Copy(src + lo, d + lo, hi - lo);
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
                    RowRuns.Add(s + lo, d + lo, hi - lo);
                else
                    for (int ox = lo; ox < hi; ox++) d[(long)ox * g.StrideWidth] += s[ox];
            }
        }
    }

    /// <summary>
    /// The patch matrix's rows [pc, pc + kc) and columns (output positions) [q0, q0 + nc) written straight into the
    /// packed GEMM's B micro-panels (panel t of <paramref name="nr"/> columns at dst + t·kc·nr, row p at + p·nr,
    /// zero past the last column), the layout <see cref="GemmPacking.PackB"/> makes of an explicit col: the same
    /// values in the same places, without the col matrix in between. A panel's columns are runs of output rows;
    /// each run of a tap is one copy of an input row (stride 1) or a strided gather.
    /// </summary>
    public static void PackPanels(in ConvGeometry g, float* x, int pc, int kc, int q0, int nc, int nr, float* dst)
    {
        int ow = g.OutWidth, kw = g.KernelWidth, area = g.KernelHeight * kw, sw = g.StrideWidth, width = g.Width;
        // Per patch row: the tap's channel offset, vertical and horizontal reach.
        int* tap = stackalloc int[3 * kc];
        for (int p = 0; p < kc; p++)
        {
            int r = pc + p, c = r / area, i = r % area / kw, j = r % kw;
            tap[3 * p] = c * g.Height * width;
            tap[3 * p + 1] = i * g.DilationHeight - g.PadTop;
            tap[3 * p + 2] = j * g.DilationWidth - g.PadLeft;
        }
        bool vector = sw == 1 && Avx512F.IsSupported;
        if (vector && g.PadTop == 0 && g.PadLeft == 0 && g.PadBottom == 0 && g.PadRight == 0)
        {
            PanelsUnpaddedAvx512(g, x, tap, kc, q0, nc, nr, dst);
            return;
        }
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int nv = Math.Min(nr, nc - j0), q = q0 + j0;
            int oyFirst = q / ow, oxFirst = q % ow;
            float* panel = dst + (long)j0 * kc;
            for (int p = 0; p < kc; p++)
            {
                float* d = panel + p * nr;
                int channel = tap[3 * p], dy = tap[3 * p + 1], dx = tap[3 * p + 2];
                if (vector)
                {
                    RowRunsAvx512(g, x + channel, dy, dx, oyFirst, oxFirst, nv, d);
                    if (nv < nr) new Span<float>(d + nv, nr - nv).Clear();
                    continue;
                }
                new Span<float>(d, nr).Clear();
                for (int t = 0, oy = oyFirst, ox = oxFirst; t < nv; t += ow - ox, ox = 0, oy++)
                {
                    int run = Math.Min(ow - ox, nv - t);
                    int iy = oy * g.StrideHeight + dy;
                    if ((uint)iy >= (uint)g.Height) continue;
                    int ix = ox * sw + dx;
                    // Run positions u in [lo, hi) land inside the row: 0 <= ix + u·sw < W.
                    int lo = ix >= 0 ? 0 : (-ix + sw - 1) / sw;
                    int hi = Math.Min(run, width - ix <= 0 ? 0 : (width - ix + sw - 1) / sw);
                    if (lo >= hi) continue;
                    float* src = x + channel + (long)iy * width + ix;
                    for (int u = lo; u < hi; u++) d[t + u] = src[(long)u * sw];
                }
            }
        }
    }

    // Unit horizontal stride, no padding: every tap of every output position lies inside the input, so a panel's
    // runs (output-row pieces) are the same for all its patch rows bar the tap's offset; they are found once per
    // panel and each patch row is then a straight copy of one input-row piece per run, 16 lanes at a time.
    private static void PanelsUnpaddedAvx512(in ConvGeometry g, float* x, int* tap, int kc, int q0, int nc, int nr, float* dst)
    {
        int ow = g.OutWidth, width = g.Width, sh = g.StrideHeight;
        int* runAt = stackalloc int[nr];
        int* runLength = stackalloc int[nr];
        long* runOffset = stackalloc long[nr];
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int nv = Math.Min(nr, nc - j0), q = q0 + j0, runs = 0;
            for (int t = 0, oy = q / ow, ox = q % ow; t < nv; t += ow - ox, ox = 0, oy++, runs++)
            {
                runAt[runs] = t;
                runLength[runs] = Math.Min(ow - ox, nv - t);
                runOffset[runs] = (long)oy * sh * width + ox;
            }
            float* panel = dst + (long)j0 * kc;
            for (int p = 0; p < kc; p++)
            {
                float* d = panel + p * nr;
                float* tapBase = x + tap[3 * p] + (long)tap[3 * p + 1] * width + tap[3 * p + 2];
                for (int r = 0; r < runs; r++)
                {
                    RowRuns.Copy(tapBase + runOffset[r], d + runAt[r], runLength[r]);
                }
                if (nv < nr) new Span<float>(d + nv, nr - nv).Clear();
            }
        }
    }

    // One patch row of a panel at unit horizontal stride: each run of output positions is 16-lane blocks of one
    // input row, loaded under the mask of the in-row lanes (the others read as the zero padding) and stored under
    // the mask of the run, so every one of the nv places is written once and nothing outside them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowRunsAvx512(in ConvGeometry g, float* plane, int dy, int dx, int oy, int ox, int nv, float* d)
    {
        int ow = g.OutWidth, width = g.Width, height = g.Height, sh = g.StrideHeight;
        for (int t = 0; t < nv; t += ow - ox, ox = 0, oy++)
        {
            int run = Math.Min(ow - ox, nv - t);
            int iy = oy * sh + dy, ix = ox + dx;
            bool rowInside = (uint)iy < (uint)height;
            // Lanes u of the run with 0 <= ix + u < W.
            int lo = Math.Max(0, -ix), hi = Math.Min(run, width - ix);
            float* src = plane + (long)iy * width + ix;
            for (int b = 0; b < run; b += 16)
            {
                var store = Masks512.First(Math.Min(16, run - b));
                if (!rowInside || hi <= b || lo >= b + 16)
                {
                    Avx512F.MaskStore(d + t + b, store, Vector512<float>.Zero);
                    continue;
                }
                var valid = Vector512.AndNot(Masks512.First(Math.Min(16, hi - b)), Masks512.First(Math.Max(0, lo - b)));
                Avx512F.MaskStore(d + t + b, store, Avx512F.MaskLoad(src + b, valid, Vector512<float>.Zero));
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

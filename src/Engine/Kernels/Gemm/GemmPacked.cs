using System.Runtime.Intrinsics.X86;

namespace DlBook.Engine.Kernels;

/// <summary>
/// The packed GEMM on one thread (Goto &amp; van de Geijn, BLIS loop order): for each NC-wide panel of B and
/// KC-deep slice, pack B once; for each MC-tall block of A, pack it; then sweep the micro-kernel over the
/// MR×NR tiles. The C tile is added to with β on the first KC slice and 1 afterwards.
/// </summary>
internal static unsafe class GemmPacked
{
    public static void Run(GemmIsa isa, Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        Kernel(isa, out _, out int nr);
        bool useAvx = UseAvx(isa);
        var buffers = GemmBuffers.ForCurrentThread();
        const int KC = GemmBlocking.KC, NC = GemmBlocking.NC;

        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                GemmPacking.PackB(transB, b, ldb, pc, jc, kc, nc, nr, useAvx, buffers.B);
                Block(isa, nr, useAvx, transA, m, a, lda, jc, pc, kc, nc, buffers.B, alpha, pc == 0 ? beta : 1f, c, ldc, buffers.A);
            }
        }
    }

    /// <summary>
    /// The same product with B packed beforehand (<see cref="GemmPackedB"/>), for many products against one B: the
    /// arithmetic, and so every bit of C, is that of <see cref="Run"/>.
    /// </summary>
    public static void RunPrepacked(GemmPackedB packed, Transpose transA, int m, float alpha, float* a, int lda, float beta, float* c, int ldc)
    {
        var isa = packed.Isa;
        Kernel(isa, out _, out int nr);
        bool useAvx = UseAvx(packed.Isa);
        var buffers = GemmBuffers.ForCurrentThread();
        int n = packed.N, k = packed.K;
        const int KC = GemmBlocking.KC, NC = GemmBlocking.NC;
        float* pb = packed.Pointer;
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                Block(isa, nr, useAvx, transA, m, a, lda, jc, pc, kc, nc, pb + packed.Offset(jc, pc), alpha, pc == 0 ? beta : 1f, c, ldc, buffers.A);
            }
        }
    }

    /// <summary>
    /// Convolution as an implicit GEMM: C[m × n] = A[m × C·kh·kw]·col[:, q0 .. q0 + n) + β·C, where col is the
    /// patch matrix of the sample x (<see cref="Im2Col.Pack"/>), packed panel by panel straight from x
    /// (<see cref="Im2Col.PackPanels"/>). The packed panels hold what <see cref="Run"/> packs from an explicit col,
    /// so every bit of C is that of <see cref="Run"/> on it; c points at column q0 of the output.
    /// </summary>
    public static void RunPatches(GemmIsa isa, in ConvGeometry g, float* x, int q0, int n, int m, float* a, float beta, float* c, int ldc)
    {
        Kernel(isa, out _, out int nr);
        bool useAvx = UseAvx(isa);
        var buffers = GemmBuffers.ForCurrentThread();
        int k = g.PatchSize;
        const int KC = GemmBlocking.KC, NC = GemmBlocking.NC;
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                Im2Col.PackPanels(g, x, pc, kc, q0 + jc, nc, nr, buffers.B);
                Block(isa, nr, useAvx, Transpose.No, m, a, k, jc, pc, kc, nc, buffers.B, 1f, pc == 0 ? beta : 1f, c, ldc, buffers.A);
            }
        }
    }

    // One packed KC×NC panel of B against every MC block of A.
    private static void Block(GemmIsa isa, int nr, bool useAvx,
        Transpose transA, int m, float* a, int lda, int jc, int pc, int kc, int nc, float* pb, float alpha, float beta, float* c, int ldc, float* pa)
    {
        const int MC = GemmBlocking.MC, AS = GemmBlocking.AStride;
        for (int ic = 0; ic < m; ic += MC)
        {
            int mc = Math.Min(MC, m - ic);
            var kernel = Kernel(isa, mc, out int mr);
            // A last panel of at most 16 columns takes the half-width tile (half the FMAs), of at most 4 the dot edge.
            var half = isa == GemmIsa.Avx512 && mr == MicroKernel512.MR ? &MicroKernel512Half.Run : kernel;
            GemmPacking.PackA(transA, a, lda, ic, pc, mc, kc, mr, useAvx, pa);
            float* cBlock = c + (long)ic * ldc + jc;
            for (int jr = 0; jr < nc; jr += nr)
            {
                int nv = Math.Min(nr, nc - jr);
                float* bPanel = pb + (long)jr * kc;
                if (isa == GemmIsa.Avx512 && nv <= DotEdge512.MaxColumns)
                {
                    DotEdge512.Run(kc, pa, mc, bPanel, nr, nv, cBlock + jr, ldc, alpha, beta);
                    continue;
                }
                var tile = nv <= MicroKernel512Half.NR ? half : kernel;
                for (int ir = 0; ir < mc; ir += mr)
                {
                    int mv = Math.Min(mr, mc - ir);
                    tile(kc, pa + ir * AS, bPanel, cBlock + (long)ir * ldc + jr, ldc, mv, nv, alpha, beta);
                }
            }
        }
    }

    // The micro-kernel for a block of mc rows: AVX-512 takes 8-row tiles where 12-row ones would pad more (16 or 32
    // rows, as a recurrent step's half batch: 12-row tiles compute 24 or 36). Every tile does the same arithmetic
    // per element, so the choice never changes a bit.
    private static delegate*<int, float*, float*, float*, int, int, int, float, float, void> Kernel(GemmIsa isa, int mc, out int mr)
    {
        if (isa == GemmIsa.Avx512 && RoundUp(mc, MicroKernel512Rows8.MR) < RoundUp(mc, MicroKernel512.MR))
        {
            mr = MicroKernel512Rows8.MR;
            return &MicroKernel512Rows8.Run;
        }
        return Kernel(isa, out mr, out _);
    }

    private static int RoundUp(int x, int r) => (x + r - 1) / r * r;

    internal static delegate*<int, float*, float*, float*, int, int, int, float, float, void> Kernel(GemmIsa isa, out int mr, out int nr)
    {
        switch (isa)
        {
            case GemmIsa.Avx512: (mr, nr) = (MicroKernel512.MR, MicroKernel512.NR); return &MicroKernel512.Run;
            case GemmIsa.Avx2: (mr, nr) = (MicroKernel256.MR, MicroKernel256.NR); return &MicroKernel256.Run;
            default: (mr, nr) = (MicroKernel128.MR, MicroKernel128.NR); return &MicroKernel128.Run;
        }
    }

    internal static bool UseAvx(GemmIsa isa) => isa != GemmIsa.Vector128 && Avx.IsSupported;
}

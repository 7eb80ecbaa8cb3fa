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
        delegate*<int, float*, float*, float*, int, int, int, float, float, void> kernel;
        int mr, nr;
        switch (isa)
        {
            case GemmIsa.Avx512: kernel = &MicroKernel512.Run; mr = MicroKernel512.MR; nr = MicroKernel512.NR; break;
            case GemmIsa.Avx2: kernel = &MicroKernel256.Run; mr = MicroKernel256.MR; nr = MicroKernel256.NR; break;
            default: kernel = &MicroKernel128.Run; mr = MicroKernel128.MR; nr = MicroKernel128.NR; break;
        }

        bool useAvx = isa != GemmIsa.Vector128 && Avx.IsSupported;
        var buffers = GemmBuffers.ForCurrentThread();
        float* pa = buffers.A, pb = buffers.B;
        const int KC = GemmBlocking.KC, MC = GemmBlocking.MC, NC = GemmBlocking.NC, AS = GemmBlocking.AStride;

        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                float betaHere = pc == 0 ? beta : 1f;
                GemmPacking.PackB(transB, b, ldb, pc, jc, kc, nc, nr, useAvx, pb);
                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);
                    GemmPacking.PackA(transA, a, lda, ic, pc, mc, kc, mr, useAvx, pa);
                    float* cBlock = c + (long)ic * ldc + jc;
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nv = Math.Min(nr, nc - jr);
                        float* bPanel = pb + (long)jr * kc;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int mv = Math.Min(mr, mc - ir);
                            kernel(kc, pa + ir * AS, bPanel, cBlock + (long)ir * ldc + jr, ldc, mv, nv, alpha, betaHere);
                        }
                    }
                }
            }
        }
    }
}

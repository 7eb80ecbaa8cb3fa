namespace DlBook.Engine.Kernels;

/// <summary>
/// Splits the packed GEMM's output across threads: contiguous column ranges (or row ranges when C is tall
/// and narrow), each a whole sub-GEMM with its own packing buffers. No thread shares a reduction, and every
/// element is computed by the same arithmetic whichever range holds it, so the bits do not depend on the thread count.
/// </summary>
internal static unsafe class GemmParallel
{
    /// <summary>Below this many multiply-adds a second thread's wake-up costs more than it saves.</summary>
    private const long ThreadWork = 1L << 21;

    private struct Job
    {
        public GemmIsa Isa;
        public Transpose TransA, TransB;
        public int M, N, K, Lda, Ldb, Ldc, Chunk;
        public bool SplitN;
        public float Alpha, Beta;
        public float* A, B, C;
    }

    public static void Run(GemmIsa isa, int maxThreads, Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        int threads = (long)m * n * k < ThreadWork ? 1 : maxThreads;
        bool splitN = n >= 2 * m || n >= 128 * threads;
        int extent = splitN ? n : m, align = splitN ? 32 : 12;
        threads = Math.Max(1, Math.Min(threads, (extent + align - 1) / align));
        if (threads > 1)
        {
            var job = new Job
            {
                Isa = isa, TransA = transA, TransB = transB, M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc,
                SplitN = splitN, Alpha = alpha, Beta = beta, A = a, B = b, C = c,
                Chunk = ((extent + threads - 1) / threads + align - 1) / align * align,
            };
            if (GemmThreads.TryRun(threads, &RunPart, &job))
                return;
        }

        GemmPacked.Run(isa, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static void RunPart(int part, void* state)
    {
        ref Job j = ref *(Job*)state;
        int start = part * j.Chunk;
        if (j.SplitN)
        {
            int count = Math.Min(j.Chunk, j.N - start);
            if (count <= 0) return;
            float* b = j.TransB == Transpose.No ? j.B + start : j.B + (long)start * j.Ldb;
            GemmPacked.Run(j.Isa, j.TransA, j.TransB, j.M, count, j.K, j.Alpha, j.A, j.Lda, b, j.Ldb, j.Beta, j.C + start, j.Ldc);
        }
        else
        {
            int count = Math.Min(j.Chunk, j.M - start);
            if (count <= 0) return;
            float* a = j.TransA == Transpose.No ? j.A + (long)start * j.Lda : j.A + start;
            GemmPacked.Run(j.Isa, j.TransA, j.TransB, count, j.N, j.K, j.Alpha, a, j.Lda, j.B, j.Ldb, j.Beta, j.C + (long)start * j.Ldc, j.Ldc);
        }
    }
}

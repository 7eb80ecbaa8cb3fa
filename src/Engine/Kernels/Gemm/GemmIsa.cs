namespace DlBook.Engine.Kernels;

/// <summary>Which instruction set the GEMM kernels use; tests force the narrower ones on wide machines.</summary>
internal enum GemmIsa
{
    /// <summary>Pick the widest the CPU supports.</summary>
    Auto,
    /// <summary>Vector512 / AVX-512F: 12×32 micro-kernel and the no-pack small-matrix path.</summary>
    Avx512,
    /// <summary>Vector256 with FMA: 6×16 micro-kernel.</summary>
    Avx2,
    /// <summary>Vector128 (SSE or NEON): 4×8 micro-kernel, scalar packing; the portable fallback.</summary>
    Vector128,
}

namespace DlBook.Engine.Kernels;

/// <summary>Cache-blocking sizes of the packed GEMM (Goto/BLIS loop nest).</summary>
internal static class GemmBlocking
{
    /// <summary>Depth of a packed panel: A micro-panel (MR×KC) and B micro-panel (KC×NR) stay in L1/L2.</summary>
    public const int KC = 256;

    /// <summary>Rows of A packed at once (MC×KC lives in L2); a multiple of every MR (12, 6, 4).</summary>
    public const int MC = 168;

    /// <summary>Columns of B packed at once (KC×NC lives in L2/L3); a multiple of every NR (32, 16, 8).</summary>
    public const int NC = 1024;

    /// <summary>
    /// Row stride of packed A: KC plus one cache line, so the 12 rows a micro-kernel walks
    /// do not all fall into the same L1 sets.
    /// </summary>
    public const int AStride = KC + 16;
}

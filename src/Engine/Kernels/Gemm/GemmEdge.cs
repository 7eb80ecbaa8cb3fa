namespace DlBook.Engine.Kernels;

/// <summary>Write-back of ragged edge tiles, with the same rounding as the vector write-back (C = fma(β, C, α·acc)).</summary>
internal static unsafe class GemmEdge
{
    /// <summary>C[r, j] = fma(β, C[r, j], scaled[r·stride + j]) for r &lt; rows, j &lt; cols; β = 0 overwrites.</summary>
    public static void WriteScaled(float* scaled, int stride, float* c, int ldc, int rows, int cols, float beta)
    {
        for (int r = 0; r < rows; r++)
        {
            float* cr = c + (long)r * ldc;
            float* t = scaled + r * stride;
            if (beta == 0)
                for (int j = 0; j < cols; j++) cr[j] = t[j];
            else
                for (int j = 0; j < cols; j++) cr[j] = MathF.FusedMultiplyAdd(beta, cr[j], t[j]);
        }
    }
}

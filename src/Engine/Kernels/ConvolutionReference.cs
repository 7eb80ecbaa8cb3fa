namespace DlBook.Engine.Kernels;

/// <summary>
/// The obviously-correct 2-D convolution (cross-correlation, as PyTorch, Keras and ONNX Conv define it): direct
/// loops over every output and every tap, summed in double. The fast im2col + GEMM path of
/// <see cref="Layers.Conv2dLayer"/> is tested against it; nothing else should call it in a hot path.
/// </summary>
public static class ConvolutionReference
{
    /// <summary>y[n, f, oy, ox] = b[f] + Σ_{c,i,j} W[f, c, i, j]·x[n, c, oy·sh − pt + i·dh, ox·sw − pl + j·dw] (zero outside).</summary>
    /// <param name="g">The geometry.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="x">[batch, C, H, W].</param>
    /// <param name="w">[F, C, kh, kw].</param>
    /// <param name="b">[F], or empty for no bias.</param>
    /// <param name="y">[batch, F, OH, OW], overwritten.</param>
    // x: [batch, C, H, W] → y: [batch, F, OH, OW]
    public static void Forward(ConvGeometry g, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y)
    {
        int oh = g.OutHeight, ow = g.OutWidth;
        for (int n = 0; n < batch; n++)
        for (int f = 0; f < g.Filters; f++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            double sum = b.IsEmpty ? 0 : b[f];
            for (int c = 0; c < g.Channels; c++)
            for (int i = 0; i < g.KernelHeight; i++)
            for (int j = 0; j < g.KernelWidth; j++)
            {
                if (!Tap(g, oy, ox, i, j, out int iy, out int ix)) continue;
                sum += (double)w[((f * g.Channels + c) * g.KernelHeight + i) * g.KernelWidth + j] * x[((n * g.Channels + c) * g.Height + iy) * g.Width + ix];
            }
            y[((n * g.Filters + f) * oh + oy) * ow + ox] = (float)sum;
        }
    }

    /// <summary>Given dy, writes dx = ∂C/∂x, dW = ∂C/∂W and db = Σ dy (each overwritten; db may be empty).</summary>
    /// <param name="g">The geometry.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="x">The forward input [batch, C, H, W].</param>
    /// <param name="w">[F, C, kh, kw].</param>
    /// <param name="dy">[batch, F, OH, OW].</param>
    /// <param name="dx">[batch, C, H, W].</param>
    /// <param name="dw">[F, C, kh, kw].</param>
    /// <param name="db">[F], or empty.</param>
    // dy: [batch, F, OH, OW] → dx: [batch, C, H, W]; dW: [F, C, kh, kw], db: [F]
    public static void Backward(ConvGeometry g, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw, Span<float> db)
    {
        int oh = g.OutHeight, ow = g.OutWidth;
        var dxSum = new double[batch * g.InputSize];
        var dwSum = new double[g.Filters * g.PatchSize];
        var dbSum = new double[g.Filters];
        for (int n = 0; n < batch; n++)
        for (int f = 0; f < g.Filters; f++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            double d = dy[((n * g.Filters + f) * oh + oy) * ow + ox];
            dbSum[f] += d;
            for (int c = 0; c < g.Channels; c++)
            for (int i = 0; i < g.KernelHeight; i++)
            for (int j = 0; j < g.KernelWidth; j++)
            {
                if (!Tap(g, oy, ox, i, j, out int iy, out int ix)) continue;
                int wi = ((f * g.Channels + c) * g.KernelHeight + i) * g.KernelWidth + j;
                int xi = ((n * g.Channels + c) * g.Height + iy) * g.Width + ix;
                dwSum[wi] += d * x[xi];
                dxSum[xi] += d * w[wi];
            }
        }
        for (int i = 0; i < dxSum.Length; i++) dx[i] = (float)dxSum[i];
        for (int i = 0; i < dwSum.Length; i++) dw[i] = (float)dwSum[i];
        if (!db.IsEmpty)
            for (int f = 0; f < g.Filters; f++) db[f] = (float)dbSum[f];
    }

    // The input position under tap (i, j) of the window at output (oy, ox); false when it falls in the padding.
    internal static bool Tap(ConvGeometry g, int oy, int ox, int i, int j, out int iy, out int ix)
    {
        iy = oy * g.StrideHeight - g.PadTop + i * g.DilationHeight;
        ix = ox * g.StrideWidth - g.PadLeft + j * g.DilationWidth;
        return iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width;
    }
}

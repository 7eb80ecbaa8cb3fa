namespace DlBook.Engine.Kernels;

/// <summary>
/// The obviously-correct 2-D max and average pooling: direct loops over every output and every tap of its window,
/// padded positions skipped (max pooling pads with −∞, average pooling leaves them out of the count, ONNX's
/// count_include_pad = 0). <see cref="Layers.MaxPool2dLayer"/> and <see cref="Layers.AvgPool2dLayer"/> are tested
/// against it; nothing else should call it in a hot path.
/// </summary>
public static class PoolingReference
{
    /// <summary>y[n, c, oy, ox] = max over the window's inputs; dx (when not empty) gets dy at the window's first maximum in row-major order.</summary>
    /// <param name="g">The geometry (Filters = Channels, dilation 1).</param>
    /// <param name="batch">Samples.</param>
    /// <param name="x">[batch, C, H, W].</param>
    /// <param name="y">[batch, C, OH, OW], overwritten.</param>
    /// <param name="dy">[batch, C, OH, OW], or empty for forward only.</param>
    /// <param name="dx">[batch, C, H, W], overwritten when <paramref name="dy"/> is given.</param>
    // x: [batch, C, H, W] → y: [batch, C, OH, OW]; dy → dx: [batch, C, H, W]
    public static void Max(ConvGeometry g, int batch, ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int oh = g.OutHeight, ow = g.OutWidth;
        if (!dy.IsEmpty) dx[..(batch * g.InputSize)].Clear();
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < g.Channels; c++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            float best = float.NegativeInfinity;
            int arg = -1;
            for (int i = 0; i < g.KernelHeight; i++)
            for (int j = 0; j < g.KernelWidth; j++)
            {
                if (!Tap(g, oy, ox, i, j, out int iy, out int ix)) continue;
                int xi = ((n * g.Channels + c) * g.Height + iy) * g.Width + ix;
                if (arg < 0 || x[xi] > best) { best = x[xi]; arg = xi; }
            }
            int o = ((n * g.Channels + c) * oh + oy) * ow + ox;
            y[o] = best;
            if (!dy.IsEmpty && arg >= 0) dx[arg] += dy[o];
        }
    }

    /// <summary>y[n, c, oy, ox] = mean of the window's inputs (padding not counted); dx (when not empty) gets dy/count at each of them.</summary>
    /// <param name="g">The geometry (Filters = Channels, dilation 1).</param>
    /// <param name="batch">Samples.</param>
    /// <param name="x">[batch, C, H, W].</param>
    /// <param name="y">[batch, C, OH, OW], overwritten.</param>
    /// <param name="dy">[batch, C, OH, OW], or empty for forward only.</param>
    /// <param name="dx">[batch, C, H, W], overwritten when <paramref name="dy"/> is given.</param>
    // x: [batch, C, H, W] → y: [batch, C, OH, OW]; dy → dx: [batch, C, H, W]
    public static void Average(ConvGeometry g, int batch, ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int oh = g.OutHeight, ow = g.OutWidth;
        var dxSum = new double[dy.IsEmpty ? 0 : batch * g.InputSize];
        for (int n = 0; n < batch; n++)
        for (int c = 0; c < g.Channels; c++)
        for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
        {
            double sum = 0;
            int count = 0;
            for (int i = 0; i < g.KernelHeight; i++)
            for (int j = 0; j < g.KernelWidth; j++)
            {
                if (!Tap(g, oy, ox, i, j, out int iy, out int ix)) continue;
                sum += x[((n * g.Channels + c) * g.Height + iy) * g.Width + ix];
                count++;
            }
            int o = ((n * g.Channels + c) * oh + oy) * ow + ox;
            y[o] = count == 0 ? 0 : (float)(sum / count);
            if (dy.IsEmpty || count == 0) continue;
            for (int i = 0; i < g.KernelHeight; i++)
            for (int j = 0; j < g.KernelWidth; j++)
                if (Tap(g, oy, ox, i, j, out int iy, out int ix))
                    dxSum[((n * g.Channels + c) * g.Height + iy) * g.Width + ix] += (double)dy[o] / count;
        }
        for (int i = 0; i < dxSum.Length; i++) dx[i] = (float)dxSum[i];
    }

    private static bool Tap(ConvGeometry g, int oy, int ox, int i, int j, out int iy, out int ix) =>
        ConvolutionReference.Tap(g, oy, ox, i, j, out iy, out ix);
}

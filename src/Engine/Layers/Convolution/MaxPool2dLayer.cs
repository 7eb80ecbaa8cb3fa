using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DlBook.Engine.Kernels;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Max pooling over each channel of NCHW samples. Padded positions never win (they are not values, as ONNX MaxPool
/// pads with −∞; every pad is smaller than the pool, so each window holds at least one input). Backward routes each output's gradient to the input that won its window,
/// the first maximum in row-major window order on ties, as PyTorch does. Channel planes are split across the
/// GEMM's threads. Settings: pool ("2" or "2,2"); stride (default = pool); padding ("valid" (default), "same" =
/// SAME_UPPER, or integers "p", "ph,pw", "top,left,bottom,right"). Written back: "pads" = "top,left,bottom,right".
/// </summary>
public sealed unsafe class MaxPool2dLayer : ILayer, IPartitionedWork
{
    private readonly ConvGeometry _g;
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly int _inPlane, _outPlane;
    private int[] _argmax = [];
    private int _rows = -1;
    private bool _backward;
    private int _planes;
    private float[] _x = [], _y = [];
    // Whether the last Forward's input was the output of the ReLU in Relu.
    private bool _masked;

    private MaxPool2dLayer(LayerSpec spec, ConvGeometry g)
    {
        Spec = spec;
        _g = g;
        _inPlane = g.Height * g.Width;
        _outPlane = g.OutPlane;
        _output = LayerChecks.Buffer(spec.OutputShape);
        _inputGradient = LayerChecks.Buffer(spec.InputShape);
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>The resolved sizes (Filters = Channels; no dilation).</summary>
    public ConvGeometry Geometry => _g;

    /// <summary>
    /// The ReLU this pool is fed by, set by <see cref="Networks.Sequential"/>. When a Forward's input is its output,
    /// Backward routes a window's gradient to the winner only where the winner is &gt; 0 — ReLU′ at the only
    /// positions that get any — and the ReLU passes it through instead of a pass of its own over the larger input.
    /// </summary>
    internal ActivationLayer? Relu { get; set; }

    /// <summary>True when the last Forward's input was the output of <see cref="Relu"/>.</summary>
    internal bool MasksByRelu => _masked;

    /// <summary>Builds a MaxPool2d layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    /// <exception cref="ArgumentException">A setting is out of range, a pad is not smaller than the pool, or the input is not [C, H, W]; the message names the layer and the setting.</exception>
    public static MaxPool2dLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        var g = ConvSettings.Pool(spec, inputShape);
        return new MaxPool2dLayer(spec, g);
    }

    /// <inheritdoc />
    // x: [batch, C, H, W] → y: [batch, C, OH, OW], y = max over each window
    public Tensor Forward(Tensor input, bool training)
    {
        ConvSettings.CheckBatch(Spec, input, _g.Channels, _g.Height, _g.Width);
        int rows = input.Rows;
        _output.ResizeRows(rows);
        _planes = rows * _g.Channels;
        if (_argmax.Length < _planes * _outPlane) _argmax = new int[_planes * _outPlane];
        _rows = rows;
        _backward = false;
        _masked = Relu is { } relu && ReferenceEquals(input, relu.Output);
        _x = input.Data;
        _y = _output.Data;
        SampleParallel.Run(this, SampleParallel.Parts(_planes, (long)_planes * _inPlane));
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, C, OH, OW] → dx: [batch, C, H, W], each dy to its window's argmax
    public Tensor Backward(Tensor outputGradient)
    {
        LayerChecks.Forwarded(Spec, _rows);
        LayerChecks.Gradient(Spec, outputGradient, _rows, _g.OutputSize);
        _inputGradient.ResizeRows(_rows);
        _backward = true;
        _x = outputGradient.Data;
        _y = _inputGradient.Data;
        SampleParallel.Run(this, SampleParallel.Parts(_planes, (long)_planes * _inPlane));
        if (_masked) Relu!.GradientMasked = true;
        return _inputGradient;
    }

    void IPartitionedWork.RunPart(int part, int parts)
    {
        int start = (int)((long)part * _planes / parts), end = (int)((long)(part + 1) * _planes / parts);
        fixed (float* x = _x)
        fixed (float* y = _y)
        fixed (int* arg = _argmax)
        fixed (float* pooled = _output.Data)
        {
            for (int p = start; p < end; p++)
            {
                if (_backward)
                {
                    float* dx = y + (long)p * _inPlane;
                    float* dy = x + (long)p * _outPlane;
                    int* a = arg + (long)p * _outPlane;
                    // Fed by a ReLU: its derivative at a window's winner is (pooled value > 0), the winner's own value.
                    float* won = _masked ? pooled + (long)p * _outPlane : null;
                    if (Avx512F.IsSupported && Is2x2 && 2 * _g.OutHeight <= _g.Height && 2 * _g.OutWidth <= _g.Width)
                    {
                        Backward2x2Avx512(dy, a, won, dx);
                        continue;
                    }
                    // dx plane ← 0, then dx[argmax] += dy (+= for overlapping windows).
                    new Span<float>(dx, _inPlane).Clear();
                    for (int o = 0; o < _outPlane; o++)
                        if (a[o] >= 0 && (won is null || won[o] > 0)) dx[a[o]] += dy[o];
                }
                else if (Is2x2)
                    Forward2x2(x + (long)p * _inPlane, y + (long)p * _outPlane, arg + (long)p * _outPlane);
                else
                    ForwardPlane(x + (long)p * _inPlane, y + (long)p * _outPlane, arg + (long)p * _outPlane);
            }
        }
    }

    private bool Is2x2 => _g.KernelHeight == 2 && _g.KernelWidth == 2 && _g.StrideHeight == 2 && _g.StrideWidth == 2 && _g.PadTop == 0 && _g.PadLeft == 0;

    // Backward of the 2×2/2 pool whose windows lie inside the plane: every input position of a window is written
    // (its gradient at the winner, 0 elsewhere), 16 windows at a time, so the plane needs no clearing and no scatter;
    // the rows and columns no window covers are cleared. won: the pooled values when a ReLU feeds the pool (a
    // winner ≤ 0 gets 0), else null. The values are those of the clear-and-scatter loop.
    private void Backward2x2Avx512(float* dy, int* arg, float* won, float* dx)
    {
        int w = _g.Width, h = _g.Height, ow = _g.OutWidth, oh = _g.OutHeight;
        var lanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var low = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var high = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        var width = Vector512.Create(w);
        for (int oy = 0; oy < oh; oy++)
        {
            int r0 = 2 * oy;
            float* row0 = dx + (long)r0 * w, row1 = row0 + w;
            for (int ox = 0; ox < ow; ox += 16)
            {
                int n = Math.Min(16, ow - ox), o = oy * ow + ox, c = 2 * ox;
                var take = Masks512.First(n);
                var v = Avx512F.MaskLoad(dy + o, take, Vector512<float>.Zero);
                if (won is not null)
                    v = Vector512.ConditionalSelect(Vector512.GreaterThan(Avx512F.MaskLoad(won + o, take, Vector512<float>.Zero), Vector512<float>.Zero), v, Vector512<float>.Zero);
                var idx = Avx512F.MaskLoad((float*)(arg + o), take, Vector512<float>.Zero).AsInt32();
                var at = lanes + Vector512.Create(r0 * w + c);
                var e0 = Vector512.ConditionalSelect(Vector512.Equals(idx, at).AsSingle(), v, Vector512<float>.Zero);
                var o0 = Vector512.ConditionalSelect(Vector512.Equals(idx, at + Vector512<int>.One).AsSingle(), v, Vector512<float>.Zero);
                var e1 = Vector512.ConditionalSelect(Vector512.Equals(idx, at + width).AsSingle(), v, Vector512<float>.Zero);
                var o1 = Vector512.ConditionalSelect(Vector512.Equals(idx, at + width + Vector512<int>.One).AsSingle(), v, Vector512<float>.Zero);
                // Windows' even and odd columns back into row order: lanes (e0, o0) interleaved.
                var m0 = Masks512.First(Math.Min(2 * n, 16));
                var m1 = Masks512.First(Math.Max(2 * n - 16, 0));
                Avx512F.MaskStore(row0 + c, m0, Avx512F.PermuteVar16x32x2(e0, low, o0));
                Avx512F.MaskStore(row0 + c + 16, m1, Avx512F.PermuteVar16x32x2(e0, high, o0));
                Avx512F.MaskStore(row1 + c, m0, Avx512F.PermuteVar16x32x2(e1, low, o1));
                Avx512F.MaskStore(row1 + c + 16, m1, Avx512F.PermuteVar16x32x2(e1, high, o1));
            }
            if (2 * ow < w)
            {
                new Span<float>(row0 + 2 * ow, w - 2 * ow).Clear();
                new Span<float>(row1 + 2 * ow, w - 2 * ow).Clear();
            }
        }
        if (2 * oh < h) new Span<float>(dx + (long)2 * oh * w, (h - 2 * oh) * w).Clear();
    }

    // The book's pool: 2×2 windows, stride 2, no top/left padding (bottom/right padding only drops the last row or column when the window is cut).
    private void Forward2x2(float* x, float* y, int* arg)
    {
        int w = _g.Width, h = _g.Height, ow = _g.OutWidth, oh = _g.OutHeight;
        for (int oy = 0; oy < oh; oy++)
        {
            int r0 = 2 * oy;
            if (r0 + 1 >= h || 2 * ow > w)
            {
                ForwardRow(x, y, arg, oy);
                continue;
            }
            float* a = x + (long)r0 * w, b = a + w;
            int done = Avx512F.IsSupported ? Forward2x2Avx512(a, b, y + oy * ow, arg + oy * ow, ow, r0 * w, w) : 0;
            for (int ox = done; ox < ow; ox++)
            {
                int c = 2 * ox;
                float best = a[c];
                int idx = r0 * w + c;
                if (a[c + 1] > best) { best = a[c + 1]; idx = r0 * w + c + 1; }
                if (b[c] > best) { best = b[c]; idx = (r0 + 1) * w + c; }
                if (b[c + 1] > best) { best = b[c + 1]; idx = (r0 + 1) * w + c + 1; }
                y[oy * ow + ox] = best;
                arg[oy * ow + ox] = idx;
            }
        }
    }

    // 16 windows per step, the row's last partial block with masked loads and stores: the two rows' even and odd
    // columns are gathered with a two-source permute and compared in the scalar loop's order (a[c], a[c+1], b[c],
    // b[c+1], a later one wins only if greater), so the values, the argmax and NaN's fate are the scalar loop's.
    // Returns how many windows of the row it did (all of them).
    private static int Forward2x2Avx512(float* a, float* b, float* y, int* arg, int ow, int rowStart, int w)
    {
        var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odds = evens + Vector512<int>.One;
        var first = evens + Vector512.Create(rowStart);
        var width = Vector512.Create(w);
        for (int ox = 0; ox < ow; ox += 16)
        {
            int c = 2 * ox, n = Math.Min(16, ow - ox);
            Vector512<float> a0, a1, b0, b1;
            if (n == 16)
            {
                a0 = Vector512.Load(a + c);
                a1 = Vector512.Load(a + c + 16);
                b0 = Vector512.Load(b + c);
                b1 = Vector512.Load(b + c + 16);
            }
            else
            {
                var lo = Masks512.First(Math.Min(2 * n, 16));
                var hi = Masks512.First(Math.Max(2 * n - 16, 0));
                a0 = Avx512F.MaskLoad(a + c, lo, Vector512<float>.Zero);
                a1 = Avx512F.MaskLoad(a + c + 16, hi, Vector512<float>.Zero);
                b0 = Avx512F.MaskLoad(b + c, lo, Vector512<float>.Zero);
                b1 = Avx512F.MaskLoad(b + c + 16, hi, Vector512<float>.Zero);
            }
            var best = Avx512F.PermuteVar16x32x2(a0, evens, a1);
            var idx = first + Vector512.Create(c);
            var below = idx + width;
            var v = Avx512F.PermuteVar16x32x2(a0, odds, a1);
            var m = Vector512.GreaterThan(v, best);
            best = Vector512.ConditionalSelect(m, v, best);
            idx = Vector512.ConditionalSelect(m.AsInt32(), idx + Vector512<int>.One, idx);
            v = Avx512F.PermuteVar16x32x2(b0, evens, b1);
            m = Vector512.GreaterThan(v, best);
            best = Vector512.ConditionalSelect(m, v, best);
            idx = Vector512.ConditionalSelect(m.AsInt32(), below, idx);
            v = Avx512F.PermuteVar16x32x2(b0, odds, b1);
            m = Vector512.GreaterThan(v, best);
            best = Vector512.ConditionalSelect(m, v, best);
            idx = Vector512.ConditionalSelect(m.AsInt32(), below + Vector512<int>.One, idx);
            if (n == 16)
            {
                best.Store(y + ox);
                idx.Store(arg + ox);
            }
            else
            {
                var mask = Masks512.First(n);
                Avx512F.MaskStore(y + ox, mask, best);
                Avx512F.MaskStore((float*)(arg + ox), mask, idx.AsSingle());
            }
        }
        return ow;
    }

    private void ForwardPlane(float* x, float* y, int* arg)
    {
        for (int oy = 0; oy < _g.OutHeight; oy++) ForwardRow(x, y, arg, oy);
    }

    private void ForwardRow(float* x, float* y, int* arg, int oy)
    {
        int ow = _g.OutWidth;
        for (int ox = 0; ox < ow; ox++)
        {
            float best = 0;
            int idx = -1;
            for (int i = 0; i < _g.KernelHeight; i++)
            {
                int iy = oy * _g.StrideHeight - _g.PadTop + i;
                if (iy < 0 || iy >= _g.Height) continue;
                for (int j = 0; j < _g.KernelWidth; j++)
                {
                    int ix = ox * _g.StrideWidth - _g.PadLeft + j;
                    if (ix < 0 || ix >= _g.Width) continue;
                    float v = x[iy * _g.Width + ix];
                    if (idx < 0 || v > best) { best = v; idx = iy * _g.Width + ix; }
                }
            }
            y[oy * ow + ox] = best;
            arg[oy * ow + ox] = idx;
        }
    }
}

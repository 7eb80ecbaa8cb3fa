using DlBook.Engine.Kernels;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Average pooling over each channel of NCHW samples. With padding, each window averages only the input values it
/// covers: count_include_pad = false in PyTorch's terms, which is also what Keras's "same" average pooling does and
/// ONNX AveragePool's default (count_include_pad = 0). Every pad is smaller than the pool, so no window is all padding. Settings: pool
/// ("2" or "2,2"); stride (default = pool); padding ("valid" (default), "same" = SAME_UPPER, or integers "p",
/// "ph,pw", "top,left,bottom,right"). Written back: "pads" = "top,left,bottom,right".
/// </summary>
public sealed class AvgPool2dLayer : ILayer
{
    private readonly ConvGeometry _g;
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private int _rows = -1;

    private AvgPool2dLayer(LayerSpec spec, ConvGeometry g)
    {
        Spec = spec;
        _g = g;
        _output = LayerChecks.Buffer(spec.OutputShape);
        _inputGradient = LayerChecks.Buffer(spec.InputShape);
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>The resolved sizes (Filters = Channels; no dilation).</summary>
    public ConvGeometry Geometry => _g;

    /// <summary>Builds an AvgPool2d layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    /// <exception cref="ArgumentException">A setting is out of range, a pad is not smaller than the pool, or the input is not [C, H, W]; the message names the layer and the setting.</exception>
    public static AvgPool2dLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        var g = ConvSettings.Pool(spec, inputShape);
        return new AvgPool2dLayer(spec, g);
    }

    /// <inheritdoc />
    // x: [batch, C, H, W] → y: [batch, C, OH, OW], y = mean of the window's input values
    public Tensor Forward(Tensor input, bool training)
    {
        ConvSettings.CheckBatch(Spec, input, _g.Channels, _g.Height, _g.Width);
        _rows = input.Rows;
        _output.ResizeRows(_rows);
        Run(input.Span, _output.Span, backward: false);
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, C, OH, OW] → dx: [batch, C, H, W], dy/count to each input of the window
    public Tensor Backward(Tensor outputGradient)
    {
        LayerChecks.Forwarded(Spec, _rows);
        LayerChecks.Gradient(Spec, outputGradient, _rows, _g.OutputSize);
        _inputGradient.ResizeRows(_rows);
        _inputGradient.Clear();
        Run(outputGradient.Span, _inputGradient.Span, backward: true);
        return _inputGradient;
    }

    // Forward: y[o] = Σ x[window]/count; backward (dx cleared): dx[window] += dy[o]/count. a is x or dy, b is y or dx.
    private void Run(ReadOnlySpan<float> a, Span<float> b, bool backward)
    {
        int inPlane = _g.Height * _g.Width, outPlane = _g.OutPlane, oh = _g.OutHeight, ow = _g.OutWidth;
        for (int p = 0; p < _rows * _g.Channels; p++)
        {
            int xo = p * inPlane, yo = p * outPlane;
            for (int oy = 0; oy < oh; oy++)
            {
                int y0 = Math.Max(0, oy * _g.StrideHeight - _g.PadTop), y1 = Math.Min(_g.Height, oy * _g.StrideHeight - _g.PadTop + _g.KernelHeight);
                for (int ox = 0; ox < ow; ox++)
                {
                    int x0 = Math.Max(0, ox * _g.StrideWidth - _g.PadLeft), x1 = Math.Min(_g.Width, ox * _g.StrideWidth - _g.PadLeft + _g.KernelWidth);
                    int count = Math.Max(0, y1 - y0) * Math.Max(0, x1 - x0);
                    int o = yo + oy * ow + ox;
                    if (backward)
                    {
                        if (count == 0) continue;
                        float g = a[o] / count;
                        for (int iy = y0; iy < y1; iy++)
                        for (int ix = x0; ix < x1; ix++) b[xo + iy * _g.Width + ix] += g;
                        continue;
                    }
                    float sum = 0;
                    for (int iy = y0; iy < y1; iy++)
                    for (int ix = x0; ix < x1; ix++) sum += a[xo + iy * _g.Width + ix];
                    b[o] = count == 0 ? 0 : sum / count;
                }
            }
        }
    }
}

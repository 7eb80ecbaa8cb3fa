namespace DlBook.Engine.Kernels;

/// <summary>
/// The sizes of one 2-D sliding-window operation over an NCHW sample (convolution or pooling): input
/// [Channels, Height, Width], a KernelHeight×KernelWidth window moved by the strides, spread by the dilations,
/// over an input padded by PadTop/PadLeft/PadBottom/PadRight zeros, giving [Filters, OutHeight, OutWidth].
/// For pooling, Filters equals Channels and the dilations are 1.
/// </summary>
/// <param name="Channels">Input channels C.</param>
/// <param name="Height">Input height H.</param>
/// <param name="Width">Input width W.</param>
/// <param name="Filters">Output channels F.</param>
/// <param name="KernelHeight">Window height kh.</param>
/// <param name="KernelWidth">Window width kw.</param>
/// <param name="StrideHeight">Vertical step.</param>
/// <param name="StrideWidth">Horizontal step.</param>
/// <param name="DilationHeight">Vertical spacing of the window's taps (1 = dense).</param>
/// <param name="DilationWidth">Horizontal spacing of the window's taps.</param>
/// <param name="PadTop">Zeros above the input.</param>
/// <param name="PadLeft">Zeros left of the input.</param>
/// <param name="PadBottom">Zeros below the input.</param>
/// <param name="PadRight">Zeros right of the input.</param>
public readonly record struct ConvGeometry(
    int Channels, int Height, int Width, int Filters, int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth,
    int PadTop, int PadLeft, int PadBottom, int PadRight)
{
    /// <summary>Output rows: ⌊(H + pads − dilation·(kh − 1) − 1) / stride⌋ + 1 (≤ 0 when the window does not fit).</summary>
    public int OutHeight => Floor(Height + PadTop + PadBottom - DilationHeight * (KernelHeight - 1) - 1, StrideHeight) + 1;

    /// <summary>Output columns, as <see cref="OutHeight"/>.</summary>
    public int OutWidth => Floor(Width + PadLeft + PadRight - DilationWidth * (KernelWidth - 1) - 1, StrideWidth) + 1;

    /// <summary>Values per input sample: C·H·W.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>Values per output sample: F·OH·OW.</summary>
    public int OutputSize => Filters * OutHeight * OutWidth;

    /// <summary>Rows of the im2col matrix (the GEMM's depth): C·kh·kw.</summary>
    public int PatchSize => Channels * KernelHeight * KernelWidth;

    /// <summary>Output positions per channel: OH·OW.</summary>
    public int OutPlane => OutHeight * OutWidth;

    /// <summary>True when the im2col matrix is the input itself (1×1 window, stride 1, no padding).</summary>
    public bool IsPointwise =>
        KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1 &&
        PadTop == 0 && PadLeft == 0 && PadBottom == 0 && PadRight == 0;

    /// <summary>
    /// SAME_UPPER padding of one axis (Keras "same", ONNX auto_pad SAME_UPPER): the output is ⌈in/stride⌉ and the
    /// odd pad, if any, goes at the end.
    /// </summary>
    public static (int Begin, int End) SamePadding(int input, int kernel, int stride, int dilation)
    {
        int output = (input + stride - 1) / stride;
        int total = Math.Max(0, (output - 1) * stride + dilation * (kernel - 1) + 1 - input);
        return (total / 2, total - total / 2);
    }

    // Floor division, so a window larger than the padded input gives a non-positive size rather than 1.
    private static int Floor(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}

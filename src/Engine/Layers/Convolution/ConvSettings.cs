using DlBook.Engine.Kernels;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Reads the window settings shared by Conv2d and the pooling layers (kernel or pool, stride, padding, dilation),
/// resolves the padding to explicit pads and writes the normalised values back, so a saved spec and an exporter
/// see "kh,kw", "sh,sw" and "pads" = "top,left,bottom,right".
/// </summary>
internal static class ConvSettings
{
    /// <summary>The per-sample [C, H, W] input; throws naming the layer for any other rank.</summary>
    public static (int C, int H, int W) Input(LayerSpec spec, int[] inputShape)
    {
        if (inputShape.Length != 3 || inputShape.Any(d => d <= 0))
            throw new ArgumentException(
                $"Layer '{spec.Name}' ({spec.Kind}) needs a per-sample input [channels, height, width] (NCHW without the batch); " +
                $"got [{string.Join(", ", inputShape)}]. Give the network an image input shape such as [3, 64, 64].");
        return (inputShape[0], inputShape[1], inputShape[2]);
    }

    /// <summary>
    /// Throws unless <paramref name="x"/> is a batch of [C, H, W] samples: [batch, C, H, W], or [batch, C·H·W] as a flat
    /// feature column gives it. A rank-4 batch of other dimensions (channels first vs last, a different image size with
    /// the same number of values) is refused rather than silently read in the wrong order.
    /// </summary>
    public static void CheckBatch(LayerSpec spec, Tensor x, int c, int h, int w)
    {
        LayerChecks.Input(spec, x, c * h * w);
        if (x.Rank == 4 && (x.Dim(1) != c || x.Dim(2) != h || x.Dim(3) != w))
            throw new ArgumentException(
                $"Layer '{spec.Name}' ({spec.Kind}) expects NCHW input [batch, {c}, {h}, {w}] but got {x.ShapeString}. " +
                "Check the channel count and that the images are channels-first (NCHW), or pass the samples flat as [batch, C·H·W].");
        if (x.Rank is not (2 or 4))
            throw new ArgumentException(
                $"Layer '{spec.Name}' ({spec.Kind}) expects NCHW input [batch, {c}, {h}, {w}] or flat [batch, {c * h * w}] but got {x.ShapeString}.");
    }

    /// <summary>
    /// The geometry of a pooling layer (window key "pool", stride defaulting to the pool, no dilation), with the
    /// spec's shapes filled. Each pad must be smaller than the window on its axis, as ONNX Runtime and PyTorch require:
    /// a larger pad would give windows that see only padding.
    /// </summary>
    public static ConvGeometry Pool(LayerSpec spec, int[] inputShape)
    {
        int channels = Input(spec, inputShape).C;
        var g = Window(spec, inputShape, channels, "pool", strideDefaultsToWindow: true, dilated: false);
        if (Math.Max(g.PadTop, g.PadBottom) >= g.KernelHeight || Math.Max(g.PadLeft, g.PadRight) >= g.KernelWidth)
            throw new ArgumentException(
                $"Layer '{spec.Name}' ({spec.Kind}): padding '{spec.GetString("padding")}' (pads {g.PadTop},{g.PadLeft},{g.PadBottom},{g.PadRight}) " +
                $"must be smaller than the pool {g.KernelHeight}×{g.KernelWidth} on each side; use padding \"same\" or a smaller padding.");
        spec.InputShape = inputShape;
        spec.OutputShape = [channels, g.OutHeight, g.OutWidth];
        spec.Parameters.Clear();
        return g;
    }

    /// <summary>A positive pair "a,b" or "a" (= "a,a"); <paramref name="fallback"/> when absent (null: required).</summary>
    public static (int A, int B) Pair(LayerSpec spec, string key, (int, int)? fallback)
    {
        if (!spec.Has(key))
        {
            if (fallback is null)
                throw new ArgumentException($"Layer '{spec.Name}' ({spec.Kind}) needs the setting '{key}' (e.g. \"3\" or \"3,3\").");
            spec.With(key, $"{fallback.Value.Item1},{fallback.Value.Item2}");
        }
        int[] v = Ints(spec, key);
        if (v.Length is not (1 or 2) || v.Any(x => x <= 0))
            throw new ArgumentException(
                $"Layer '{spec.Name}' ({spec.Kind}): setting '{key}' = '{spec.GetString(key)}' must be one or two positive integers (\"3\" or \"3,3\").");
        var pair = v.Length == 1 ? (v[0], v[0]) : (v[0], v[1]);
        spec.With(key, $"{pair.Item1},{pair.Item2}");
        return pair;
    }

    /// <summary>
    /// The geometry of a window over [C, H, W]: <paramref name="windowKey"/> ("kernel" or "pool"), stride (default 1, or
    /// the window when <paramref name="strideDefaultsToWindow"/>), dilation (when <paramref name="dilated"/>), padding ("valid"
    /// (default), "same" = SAME_UPPER, or integers "p", "ph,pw", "top,left,bottom,right"). Writes "pads".
    /// </summary>
    public static ConvGeometry Window(LayerSpec spec, int[] inputShape, int filters, string windowKey, bool strideDefaultsToWindow, bool dilated)
    {
        var (c, h, w) = Input(spec, inputShape);
        var (kh, kw) = Pair(spec, windowKey, null);
        var (sh, sw) = Pair(spec, "stride", strideDefaultsToWindow ? (kh, kw) : (1, 1));
        var (dh, dw) = dilated ? Pair(spec, "dilation", (1, 1)) : (1, 1);
        if (!spec.Has("padding")) spec.With("padding", "valid");
        string padding = spec.GetString("padding").Trim();
        int pt, pl, pb, pr;
        if (padding.Equals("valid", StringComparison.OrdinalIgnoreCase))
            (pt, pl, pb, pr) = (0, 0, 0, 0);
        else if (padding.Equals("same", StringComparison.OrdinalIgnoreCase))
        {
            (pt, pb) = ConvGeometry.SamePadding(h, kh, sh, dh);
            (pl, pr) = ConvGeometry.SamePadding(w, kw, sw, dw);
        }
        else
        {
            int[] p;
            try { p = spec.GetInts("padding"); }
            catch (Exception e) when (e is FormatException or OverflowException) { p = []; }
            if (p.Length is not (1 or 2 or 4) || p.Any(x => x < 0))
                throw new ArgumentException(
                    $"Layer '{spec.Name}' ({spec.Kind}): setting 'padding' = '{padding}' must be \"valid\", \"same\" or non-negative integers " +
                    "\"p\", \"ph,pw\" or \"top,left,bottom,right\".");
            (pt, pl, pb, pr) = p.Length switch
            {
                1 => (p[0], p[0], p[0], p[0]),
                2 => (p[0], p[1], p[0], p[1]),
                _ => (p[0], p[1], p[2], p[3]),
            };
        }
        var g = new ConvGeometry(c, h, w, filters, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr);
        if (g.OutHeight <= 0 || g.OutWidth <= 0)
            throw new ArgumentException(
                $"Layer '{spec.Name}' ({spec.Kind}): setting '{windowKey}' = {kh}×{kw} (dilation {dh}×{dw}) does not fit the input " +
                $"{h}×{w} padded by {pt},{pl},{pb},{pr} (padding '{padding}'); use a smaller {windowKey} or padding \"same\".");
        spec.With("pads", $"{pt},{pl},{pb},{pr}");
        return g;
    }

    private static int[] Ints(LayerSpec spec, string key)
    {
        try { return spec.GetInts(key); }
        catch (FormatException) { throw new ArgumentException($"Layer '{spec.Name}' ({spec.Kind}): setting '{key}' = '{spec.GetString(key)}' is not a list of integers."); }
        catch (OverflowException) { throw new ArgumentException($"Layer '{spec.Name}' ({spec.Kind}): setting '{key}' = '{spec.GetString(key)}' is out of range."); }
    }
}

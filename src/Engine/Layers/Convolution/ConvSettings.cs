using DlBook.Engine.Kernels;

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

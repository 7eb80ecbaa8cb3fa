using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>
/// The ONNX attributes of a sliding window (Conv, MaxPool, AveragePool) read from the settings the engine writes back
/// into a Conv2d or pooling spec: the window ("kernel" or "pool") and "stride" as "h,w" pairs, "dilation" for
/// convolutions, and "pads" = "top,left,bottom,right", which is ONNX's pads order [x1_begin, x2_begin, x1_end, x2_end].
/// </summary>
internal static class WindowAttributes
{
    /// <summary>kernel_shape, strides, pads and (when <paramref name="dilated"/>) dilations of <paramref name="layer"/>.</summary>
    /// <exception cref="OnnxExportException">A setting is missing or malformed; the message names the layer and the setting.</exception>
    public static OnnxAttribute[] Read(LayerSpec layer, string windowKey, bool dilated)
    {
        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.Ints("kernel_shape", Ints(layer, windowKey, 2)),
            OnnxAttribute.Ints("strides", Ints(layer, "stride", 2)),
            OnnxAttribute.Ints("pads", Ints(layer, "pads", 4, allowZero: true)),
        };
        if (dilated) attributes.Add(OnnxAttribute.Ints("dilations", Ints(layer, "dilation", 2)));
        return [.. attributes];
    }

    private static long[] Ints(LayerSpec layer, string key, int count, bool allowZero = false)
    {
        int[] v;
        try { v = layer.Has(key) ? layer.GetInts(key) : []; }
        catch (Exception e) when (e is FormatException or OverflowException) { v = []; }
        if (v.Length != count || v.Any(x => x < 0 || (x == 0 && !allowZero)))
            throw new OnnxExportException(
                $"Layer '{layer.Name}' ({layer.Kind}): setting '{key}' = '{(layer.Has(key) ? layer.GetString(key) : "(missing)")}' is not {count} " +
                $"{(allowZero ? "non-negative" : "positive")} integers as the engine writes it when it builds the layer. Build the network " +
                "(or load the model) with this version of DlBook before exporting it.");
        return v.Select(x => (long)x).ToArray();
    }
}

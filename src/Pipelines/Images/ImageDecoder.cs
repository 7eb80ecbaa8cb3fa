using System.Buffers;
using Microsoft.ML.Transforms.Image;
using SkiaSharp;

namespace DlBook.Pipelines.Images;

/// <summary>
/// Decodes one image file with SkiaSharp's <see cref="SKCodec"/> (a JPEG, with ScaledDecode, first with the system's
/// libjpeg-turbo when it is installed: <see cref="TurboJpeg"/>), fits it to Width × Height as ML.NET's
/// <c>ResizeImages</c> does, and writes its pixels as ML.NET's <c>ExtractPixels</c> does. Thread-safe: every call has
/// its own codec (or the thread's TurboJPEG decompressor) and pooled buffers.
/// </summary>
internal static class ImageDecoder
{
    private static readonly SKSamplingOptions Mitchell = new(SKCubicResampler.Mitchell);
    private static readonly SKSamplingOptions Nearest = new(SKFilterMode.Nearest);

    /// <summary>Largest decoded image (RGBA bytes at the size decoded, after DCT scaling): 512 MiB, 134 megapixels.</summary>
    public const long MaxDecodeBytes = 512L << 20;

    /// <summary>The number of values one image gives: 3 × Width × Height.</summary>
    public static int Size(ImagePixelsOptions o) => 3 * o.Width * o.Height;

    /// <summary>
    /// Decodes <paramref name="path"/> into <paramref name="output"/> (<see cref="Size"/> values); null when it was read,
    /// else what is wrong with the file, as a sentence.
    /// </summary>
    public static string? TryDecode(string path, ImagePixelsOptions o, Span<float> output)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        { return "the file does not exist."; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { return $"the file cannot be read ({e.Message})."; }
        if (bytes.Length == 0) return "the file is empty (0 bytes).";
        if (o.ScaledDecode && TryDecodeTurbo(bytes, o, output, out var verdict)) return verdict;

        // The codec owns (and disposes) the stream.
        using var codec = SKCodec.Create(new SKMemoryStream(bytes), out var createResult);
        if (codec is null)
            return $"the file is not an image SkiaSharp can read ({createResult}; {bytes.Length:N0} bytes starting {Hex(bytes)}).";
        var format = codec.EncodedFormat.ToString().ToUpperInvariant();
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0) return $"the image has no pixels ({info.Width} × {info.Height}).";

        var decodeSize = o.ScaledDecode ? ScaledSize(info.Width, info.Height, o, codec.GetScaledDimensions) : new SKSizeI(info.Width, info.Height);
        // The header's size is the file's word: a damaged PNG can declare 557,556 × 4,470 pixels, whose 10 GB buffer
        // size overflows SkiaSharp's int BytesSize (the decoder then wrote past a small buffer and crashed the process).
        long decodeBytes = 4L * decodeSize.Width * decodeSize.Height;
        if (decodeBytes > MaxDecodeBytes)
            return $"the {format} header declares {info.Width:N0} × {info.Height:N0} pixels ({decodeBytes >> 20:N0} MiB to decode), more than the {MaxDecodeBytes >> 20:N0} MiB an image may take: the header is damaged or the image is too large.";
        var alpha = info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var decodeInfo = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, alpha);
        var decoded = ArrayPool<byte>.Shared.Rent(decodeInfo.BytesSize);
        try
        {
            unsafe
            {
                fixed (byte* src = decoded)
                {
                    var result = codec.GetPixels(decodeInfo, (IntPtr)src);
                    if (result == SKCodecResult.IncompleteInput)
                        return $"the {format} data ends early (a truncated or partly copied file, {bytes.Length:N0} bytes).";
                    if (result != SKCodecResult.Success)
                        return $"the {format} data is corrupt ({result}).";
                    // SkiaSharp says Success for a JPEG whose scan data is damaged (libjpeg-turbo only warns): check its markers.
                    if (codec.EncodedFormat == SKEncodedImageFormat.Jpeg && JpegStructure.Check(bytes) is { } damage) return damage;
                    return ResizeAndExtract(decodeInfo, src, info.Width, info.Height, format, o, output);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(decoded);
        }
    }

    /// <summary>
    /// A JPEG through libjpeg-turbo's TurboJPEG (<see cref="TurboJpeg"/>) at the DCT scale SkiaSharp would pick:
    /// true with the verdict when it decoded cleanly; false, having written nothing, when the library is missing,
    /// the file is not a JPEG it reads as RGB, or the decode reported anything, so SkiaSharp decodes it and judges it.
    /// </summary>
    private static unsafe bool TryDecodeTurbo(byte[] bytes, ImagePixelsOptions o, Span<float> output, out string? verdict)
    {
        verdict = null;
        if (!TurboJpeg.Available || bytes.Length < 3 || bytes[0] != 0xFF || bytes[1] != 0xD8 || bytes[2] != 0xFF
            || !TurboJpeg.TryReadHeader(bytes, out int width, out int height))
            return false;
        var size = ScaledSize(width, height, o, scale => JpegScaledSize(width, height, scale));
        if (4L * size.Width * size.Height > MaxDecodeBytes) return false;
        var decodeInfo = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var decoded = ArrayPool<byte>.Shared.Rent(decodeInfo.BytesSize);
        try
        {
            fixed (byte* src = decoded)
            {
                if (!TurboJpeg.TryDecode(bytes, src, size.Width, size.Height)) return false;
                verdict = JpegStructure.Check(bytes) ?? ResizeAndExtract(decodeInfo, src, width, height, "JPEG", o, output, opaque: true);
                return true;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(decoded);
        }
    }

    /// <summary>A JPEG's size decoded at <paramref name="scale"/> (k/8): libjpeg's ⌈size·k/8⌉, as SkiaSharp's GetScaledDimensions.</summary>
    internal static SKSizeI JpegScaledSize(int width, int height, float scale)
    {
        int eighths = (int)Math.Ceiling(scale * 8 - 1e-6);
        return new SKSizeI((int)(((long)width * eighths + 7) / 8), (int)(((long)height * eighths + 7) / 8));
    }

    // The decoded RGBA (decodeInfo at src, of an image whose full size is width × height) fitted to the output and
    // written as floats; null, or why it could not be resized.
    private static unsafe string? ResizeAndExtract(SKImageInfo decodeInfo, byte* src, int width, int height, string format,
        ImagePixelsOptions o, Span<float> output, bool opaque = false)
    {
        var outInfo = new SKImageInfo(o.Width, o.Height, SKColorType.Rgba8888,
            o.Resizing == ImageResizingEstimator.ResizingKind.Fill ? decodeInfo.AlphaType : SKAlphaType.Opaque);
        var resized = ArrayPool<byte>.Shared.Rent(outInfo.BytesSize);
        try
        {
            fixed (byte* dst = resized)
            {
                using var srcPixmap = new SKPixmap(decodeInfo, (IntPtr)src, decodeInfo.RowBytes);
                if (!Resize(srcPixmap, width, height, (IntPtr)dst, outInfo, o, opaque))
                    return $"the {format} image ({width} × {height}) could not be resized to {o.Width} × {o.Height}.";
            }
            Extract(resized.AsSpan(0, outInfo.BytesSize), o, output);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(resized);
        }
    }

    /// <summary>
    /// The smallest size the codec decodes to directly (a JPEG's DCT scales 1/8 … 8/8; other formats only their full
    /// size) that still covers what the resize needs: the output box for Fill and IsoCrop, the fitted image for IsoPad.
    /// </summary>
    private static SKSizeI ScaledSize(int width, int height, ImagePixelsOptions o, Func<float, SKSizeI> scaledDimensions)
    {
        double sx = (double)o.Width / width, sy = (double)o.Height / height;
        double needed = o.Resizing == ImageResizingEstimator.ResizingKind.IsoPad ? Math.Min(sx, sy) : Math.Max(sx, sy);
        if (needed >= 1) return new SKSizeI(width, height);
        int needW = (int)Math.Ceiling(width * needed - 1e-9), needH = (int)Math.Ceiling(height * needed - 1e-9);
        if (o.Resizing != ImageResizingEstimator.ResizingKind.IsoPad) { needW = Math.Max(needW, Math.Min(o.Width, width)); needH = Math.Max(needH, Math.Min(o.Height, height)); }
        for (int eighths = 1; eighths < 8; eighths++)
        {
            var size = scaledDimensions(eighths / 8f);
            if (size.Width >= needW && size.Height >= needH && size.Width <= width && size.Height <= height) return size;
        }
        return new SKSizeI(width, height);
    }

    /// <summary>
    /// Fits the decoded image (of the original <paramref name="width"/> × <paramref name="height"/>, maybe decoded
    /// smaller) into the output, with ML.NET's geometry (MLImage.CloneWithResizing in Microsoft.ML.ImageAnalytics 6):
    /// Fill stretches; IsoPad and IsoCrop scale by the smaller or larger ratio, place the image at the same
    /// truncated-integer offset, and leave black what it does not cover. A TurboJPEG decode (<paramref name="opaque"/>:
    /// no alpha, no promise of ML.NET's bytes) is drawn by <see cref="MitchellResampler"/>, SkiaSharp's Mitchell filter
    /// in two passes; the rest, a Fill of an image decoded at full size (nearest, as ML.NET) and a draw at scale 1, by SkiaSharp.
    /// </summary>
    private static unsafe bool Resize(SKPixmap src, int width, int height, IntPtr dst, SKImageInfo outInfo, ImagePixelsOptions o, bool opaque)
    {
        bool scaled = src.Width != width || src.Height != height;
        bool fill = o.Resizing == ImageResizingEstimator.ResizingKind.Fill;
        var (destX, destY, destWidth, destHeight) = fill ? (0, 0, o.Width, o.Height) : Placement(width, height, o);
        if (opaque && (scaled || !fill) && (src.Width != destWidth || src.Height != destHeight))
        {
            if (!fill) new Span<byte>((void*)dst, outInfo.BytesSize).Clear();
            MitchellResampler.Draw((byte*)src.GetPixels(), src.Width, src.Height, (byte*)dst, o.Width, o.Height, destX, destY, destWidth, destHeight);
            return true;
        }
        using var dstPixmap = new SKPixmap(outInfo, dst, outInfo.RowBytes);
        if (fill)
            return src.ScalePixels(dstPixmap, scaled ? Mitchell : Nearest);
        new Span<byte>((void*)dst, outInfo.BytesSize).Clear();
        using var surface = SKSurface.Create(outInfo, dst, outInfo.RowBytes);
        if (surface is null) return false;
        using var image = SKImage.FromPixels(src);
        if (image is null) return false;
        surface.Canvas.DrawImage(image, new SKRect(0, 0, src.Width, src.Height),
            new SKRect(destX, destY, destX + destWidth, destY + destHeight), Mitchell);
        surface.Flush();
        return true;
    }

    /// <summary>Where IsoPad and IsoCrop put an image of <paramref name="width"/> × <paramref name="height"/> on the output, as ML.NET.</summary>
    internal static (int X, int Y, int Width, int Height) Placement(int width, int height, ImagePixelsOptions o)
    {
        float widthAspect = (float)o.Width / width, heightAspect = (float)o.Height / height;
        int destX = 0, destY = 0;
        float aspect;
        if (o.Resizing == ImageResizingEstimator.ResizingKind.IsoPad)
        {
            if (heightAspect < widthAspect) { aspect = heightAspect; destX = (int)((o.Width - width * aspect) / 2); }
            else { aspect = widthAspect; destY = (int)((o.Height - height * aspect) / 2); }
        }
        else if (heightAspect < widthAspect)
        {
            aspect = widthAspect;
            destY = o.CropAnchor switch
            {
                ImageResizingEstimator.Anchor.Top => 0,
                ImageResizingEstimator.Anchor.Bottom => (int)(o.Height - height * aspect),
                _ => (int)((o.Height - height * aspect) / 2),
            };
        }
        else
        {
            aspect = heightAspect;
            destX = o.CropAnchor switch
            {
                ImageResizingEstimator.Anchor.Left => 0,
                ImageResizingEstimator.Anchor.Right => (int)(o.Width - width * aspect),
                _ => (int)((o.Width - width * aspect) / 2),
            };
        }
        return (destX, destY, (int)(width * aspect), (int)(height * aspect));
    }

    /// <summary>RGBA bytes to floats as ML.NET's ExtractPixels: (byte − offset) × scale, planar (3 × H × W) or interleaved (H × W × 3).</summary>
    private static void Extract(ReadOnlySpan<byte> rgba, ImagePixelsOptions o, Span<float> output)
    {
        int pixels = o.Width * o.Height;
        float offset = o.OffsetImage, scale = o.ScaleImage;
        int r = o.ChannelOrder == ImageChannelOrder.Rgb ? 0 : 2, b = 2 - r;
        if (o.InterleavePixelColors)
        {
            for (int i = 0, s = 0, d = 0; i < pixels; i++, s += 4, d += 3)
            {
                output[d + r] = (rgba[s] - offset) * scale;
                output[d + 1] = (rgba[s + 1] - offset) * scale;
                output[d + b] = (rgba[s + 2] - offset) * scale;
            }
            return;
        }
        var red = output.Slice(r * pixels, pixels);
        var green = output.Slice(pixels, pixels);
        var blue = output.Slice(b * pixels, pixels);
        for (int i = 0, s = 0; i < pixels; i++, s += 4)
        {
            red[i] = (rgba[s] - offset) * scale;
            green[i] = (rgba[s + 1] - offset) * scale;
            blue[i] = (rgba[s + 2] - offset) * scale;
        }
    }

    private static string Hex(byte[] bytes) =>
        "0x" + Convert.ToHexString(bytes, 0, Math.Min(8, bytes.Length));
}

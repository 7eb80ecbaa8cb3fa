using Microsoft.ML.Transforms.Image;

namespace DlBook.Pipelines.Images;

/// <summary>What <c>LoadImagePixels</c> does with an image it cannot read.</summary>
public enum BadImagePolicy
{
    /// <summary>Leave the row out, count it and keep the first file names in <see cref="ImageLoadReport"/> (the default).</summary>
    Skip,

    /// <summary>Stop at the first one with a <see cref="Data.DataFormatException"/> naming the file.</summary>
    Throw,
}

/// <summary>The order of the three colour values: <see cref="Rgb"/> is ML.NET <c>ExtractPixels</c>'s default.</summary>
public enum ImageChannelOrder
{
    /// <summary>Red, green, blue (ML.NET's default, <c>ColorsOrder.ARGB</c> without alpha).</summary>
    Rgb,

    /// <summary>Blue, green, red (<c>ColorsOrder.ABGR</c> without alpha; OpenCV- and Caffe-style models).</summary>
    Bgr,
}

/// <summary>
/// Options of <c>mlContext.Transforms.LoadImagePixels</c>: which column holds the paths, the size and resizing (as ML.NET's
/// <c>ResizeImages</c>), the pixel layout and value mapping (as ML.NET's <c>ExtractPixels</c>: value = (byte − offset) × scale),
/// decoding, and what to do with a bad image. The defaults give what <c>LoadImages → ResizeImages → ExtractPixels</c>
/// gives with their defaults.
/// </summary>
public sealed class ImagePixelsOptions
{
    /// <summary>The <c>Vector&lt;Single, 3, H, W&gt;</c> column made (<c>Vector&lt;Single, H, W, 3&gt;</c> when interleaved).</summary>
    public string OutputColumnName { get; set; } = "Features";

    /// <summary>The text column holding image paths. Default <c>ImagePath</c>, as <c>LoadFromImageFolder</c> makes it.</summary>
    public string ImagePathColumnName { get; set; } = "ImagePath";

    /// <summary>A folder relative paths are resolved against; null: as given (against the current directory).</summary>
    public string? ImageFolder { get; set; }

    /// <summary>The width of the output image in pixels.</summary>
    public int Width { get; set; } = 64;

    /// <summary>The height of the output image in pixels.</summary>
    public int Height { get; set; } = 64;

    /// <summary>How the image is fitted to Width × Height, as ML.NET's <c>ResizeImages</c>: IsoCrop (its default), IsoPad (black bars) or Fill (stretch).</summary>
    public ImageResizingEstimator.ResizingKind Resizing { get; set; } = ImageResizingEstimator.ResizingKind.IsoCrop;

    /// <summary>Which part is kept by IsoCrop, as ML.NET's <c>ResizeImages</c> (default Center).</summary>
    public ImageResizingEstimator.Anchor CropAnchor { get; set; } = ImageResizingEstimator.Anchor.Center;

    /// <summary>The colour order; default <see cref="ImageChannelOrder.Rgb"/> as <c>ExtractPixels</c>.</summary>
    public ImageChannelOrder ChannelOrder { get; set; } = ImageChannelOrder.Rgb;

    /// <summary>False (the default, as <c>ExtractPixels</c>): planar, all red values then all green then all blue, shape 3 × H × W. True: R,G,B per pixel, H × W × 3.</summary>
    public bool InterleavePixelColors { get; set; }

    /// <summary>Subtracted from each byte value before scaling, as <c>ExtractPixels</c>' offsetImage. Default 0.</summary>
    public float OffsetImage { get; set; }

    /// <summary>Multiplies each value after the offset, as <c>ExtractPixels</c>' scaleImage. Default 1 (values 0..255); 1/255 gives 0..1.</summary>
    public float ScaleImage { get; set; } = 1f;

    /// <summary>
    /// True (the default): a JPEG is decoded at the smallest of its 1/8 … 8/8 DCT scales that still covers the output
    /// (a 400 × 300 photo for 64 × 64 decodes at 1/4; by the system's libjpeg-turbo when <c>libturbojpeg0</c> is
    /// installed, else by SkiaSharp: the same decoded pixels), then resized with a Mitchell cubic filter (after libjpeg-turbo,
    /// in two one-dimensional passes, within 1 of 255 of SkiaSharp's). Several times faster;
    /// the pixels differ a little from ML.NET's, which decodes the full image and resizes Fill with nearest-neighbour
    /// sampling. False: full decode and ML.NET's own samplers (nearest for Fill, Mitchell for IsoPad/IsoCrop), which
    /// gives ML.NET's pixels exactly.
    /// </summary>
    public bool ScaledDecode { get; set; } = true;

    /// <summary>How many images are decoded at once; default the number of cores.</summary>
    public int DecodeThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>How many rows are decoded ahead of the one read; this bounds the memory held (rows × 3 × H × W floats). Default 4 × DecodeThreads.</summary>
    public int Prefetch { get; set; }

    /// <summary>Skip (the default) or stop on an image that cannot be read.</summary>
    public BadImagePolicy BadImages { get; set; } = BadImagePolicy.Skip;

    /// <summary>How many bad files the report keeps by name (and logs one by one); default 10.</summary>
    public int BadImagesKept { get; set; } = 10;

    internal ImagePixelsOptions Checked()
    {
        ArgumentException.ThrowIfNullOrEmpty(OutputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(ImagePathColumnName);
        if (Width <= 0 || Height <= 0 || (long)Width * Height > 16_777_216)
            throw new ArgumentOutOfRangeException(nameof(Width), $"{Width} × {Height}", "The output size must be positive and at most 16.7 megapixels (e.g. 64 × 64, 224 × 224).");
        if (!Enum.IsDefined(Resizing)) throw new ArgumentOutOfRangeException(nameof(Resizing), Resizing, "Use Fill, IsoPad or IsoCrop.");
        if (!Enum.IsDefined(CropAnchor)) throw new ArgumentOutOfRangeException(nameof(CropAnchor), CropAnchor, "Use Center, Top, Bottom, Left or Right.");
        if (!float.IsFinite(ScaleImage) || ScaleImage == 0) throw new ArgumentOutOfRangeException(nameof(ScaleImage), ScaleImage, "The scale must be a finite non-zero number (1/255 gives 0..1).");
        if (!float.IsFinite(OffsetImage)) throw new ArgumentOutOfRangeException(nameof(OffsetImage), OffsetImage, "The offset must be a finite number.");
        if (DecodeThreads <= 0) throw new ArgumentOutOfRangeException(nameof(DecodeThreads), DecodeThreads, "Decode with at least one thread.");
        if (Prefetch < 0) throw new ArgumentOutOfRangeException(nameof(Prefetch), Prefetch, "Prefetch at least one row, or 0 for 4 × DecodeThreads.");
        if (BadImagesKept < 0) throw new ArgumentOutOfRangeException(nameof(BadImagesKept), BadImagesKept, "Keep zero or more bad file names.");
        var copy = (ImagePixelsOptions)MemberwiseClone();
        if (copy.Prefetch == 0) copy.Prefetch = 4 * copy.DecodeThreads;
        return copy;
    }
}

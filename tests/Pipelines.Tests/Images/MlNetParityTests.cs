using DlBook.Pipelines.Images;
using DlBook.TestSupport;
using Microsoft.ML;
using Microsoft.ML.Transforms.Image;
using Xunit.Abstractions;
using static DlBook.Pipelines.Tests.Images.ImageTestData;

namespace DlBook.Pipelines.Tests.Images;

/// <summary>Our transform against ML.NET's LoadImages → ResizeImages → ExtractPixels on real photos (shared dogs-vs-cats).</summary>
public sealed class MlNetParityTests(ITestOutputHelper log)
{
    private readonly MLContext _ml = new(1);

    /// <summary>Twenty photos: train/cats and train/dogs numbers 0, 100, …, 900 (sizes from about 150 to 500 px).</summary>
    private static string[] Photos() =>
        [.. new[] { ("cats", "cat"), ("dogs", "dog") }.SelectMany(c =>
            Enumerable.Range(0, 10).Select(i => SharedData.File("dogs-vs-cats", "train", c.Item1, $"{c.Item2}.{i * 100}.jpg")))];

    [Theory]
    [InlineData(ImageResizingEstimator.ResizingKind.Fill)]
    [InlineData(ImageResizingEstimator.ResizingKind.IsoPad)]
    [InlineData(ImageResizingEstimator.ResizingKind.IsoCrop)]
    public void FullDecodeGivesMlNetsPixelsExactlyAt64(ImageResizingEstimator.ResizingKind resizing)
    {
        var o = new ImagePixelsOptions { Width = 64, Height = 64, Resizing = resizing, ScaledDecode = false };
        var photos = Photos();
        var (ours, t) = Ours(_ml, photos, o);
        Assert.Equal(0, t.Report.BadImageCount);
        Assert.Equal(MlNetPixels(_ml, photos, o), ours);
    }

    /// <summary>
    /// Scaled decoding (1/2 … 1/8 of the DCT, then a Mitchell filter) against ML.NET's full decode: ML.NET's Fill samples
    /// single pixels (nearest), ours averages, so Fill differs most; IsoPad and IsoCrop use the same Mitchell filter and
    /// differ by the DCT scaling only. Tolerances (values 0..255) were set from measured figures with headroom.
    /// </summary>
    [Theory]
    [InlineData(ImageResizingEstimator.ResizingKind.Fill, 9.0)]
    [InlineData(ImageResizingEstimator.ResizingKind.IsoPad, 7.0)]
    [InlineData(ImageResizingEstimator.ResizingKind.IsoCrop, 8.0)]
    public void ScaledDecodeMatchesMlNetWithinStatedToleranceAt64(ImageResizingEstimator.ResizingKind resizing, double meanTolerance)
    {
        var o = new ImagePixelsOptions { Width = 64, Height = 64, Resizing = resizing };
        var photos = Photos();
        var (ours, t) = Ours(_ml, photos, o);
        Assert.Equal(0, t.Report.BadImageCount);
        var mlnet = MlNetPixels(_ml, photos, o);
        var (mean, max) = Diff(ours, mlnet);
        var perImage = ours.Select((v, i) => Diff([v], [mlnet[i]]).Mean).ToArray();
        log.WriteLine($"{resizing}: mean |diff| {mean:F3}, max {max:F0}, per-image mean {perImage.Min():F2}..{perImage.Max():F2} (of 0..255)");
        Assert.InRange(mean, 0.01, meanTolerance);   // above 0: the scaled decode really ran
        Assert.InRange(max, 1, 255);   // single pixels differ a lot where ML.NET's samples alias (whiskers, fur)
        Assert.All(perImage, m => Assert.InRange(m, 0, 2 * meanTolerance));
    }

    /// <summary>
    /// Why they differ: at 400 → 64 px ML.NET's nearest (Fill) samples one source pixel in 40 and aliases; the reference
    /// here is a mipmapped, linearly filtered reduction of the full decode. Scaled decoding is nearer to it than ML.NET.
    /// </summary>
    [Fact]
    public void ScaledDecodeFillIsNearerAFilteredReductionThanMlNetsNearestFill()
    {
        var o = new ImagePixelsOptions { Width = 64, Height = 64, Resizing = ImageResizingEstimator.ResizingKind.Fill };
        var photos = Photos();
        var reference = photos.Select(p => FilteredReduction(p, 64, 64)).ToList();
        var ours = Diff(Ours(_ml, photos, o).Rows, reference).Mean;
        var mlnet = Diff(MlNetPixels(_ml, photos, o), reference).Mean;
        log.WriteLine($"mean |diff| to a mipmapped linear reduction: ours {ours:F3}, ML.NET {mlnet:F3}");
        Assert.True(ours < mlnet, $"ours {ours:F3} is not nearer the filtered reduction than ML.NET's {mlnet:F3}");
        Assert.InRange(ours, 0, 6);
    }

    private static float[] FilteredReduction(string path, int width, int height)
    {
        using var full = SkiaSharp.SKBitmap.Decode(path);
        using var image = SkiaSharp.SKImage.FromBitmap(full);
        var info = new SkiaSharp.SKImageInfo(width, height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Opaque);
        using var surface = SkiaSharp.SKSurface.Create(info);
        surface.Canvas.DrawImage(image, new SkiaSharp.SKRect(0, 0, width, height),
            new SkiaSharp.SKSamplingOptions(SkiaSharp.SKFilterMode.Linear, SkiaSharp.SKMipmapMode.Linear));
        var rgba = new byte[info.BytesSize];
        unsafe { fixed (byte* p = rgba) surface.ReadPixels(info, (IntPtr)p, info.RowBytes, 0, 0); }
        var planar = new float[3 * width * height];
        for (int i = 0; i < width * height; i++)
            for (int c = 0; c < 3; c++) planar[c * width * height + i] = rgba[4 * i + c];
        return planar;
    }

    [Fact]
    public void EveryValidationPhotoIsReadWithNoBadImage()
    {
        var root = Path.Combine(SharedData.Root, "dogs-vs-cats", "validation");
        var input = _ml.Data.LoadFromImageFolder(root);
        var t = _ml.Transforms.LoadImagePixels(new ImagePixelsOptions { Width = 32, Height = 32 }).Fit(input);
        var rows = 0;
        using (var cursor = t.Transform(input).GetRowCursor([]))
            while (cursor.MoveNext()) rows++;
        Assert.Equal(0, t.Report.BadImageCount);
        Assert.Equal(1000, rows);
    }
}

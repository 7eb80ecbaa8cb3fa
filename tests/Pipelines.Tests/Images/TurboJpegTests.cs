using DlBook.Pipelines.Images;
using DlBook.TestSupport;
using SkiaSharp;

namespace DlBook.Pipelines.Tests.Images;

/// <summary>The scaled JPEG decode through the system's libjpeg-turbo against SkiaSharp's, on real photos.</summary>
public class TurboJpegTests
{
    private static readonly string[] Photos =
        [.. new[] { ("cats", "cat"), ("dogs", "dog") }.SelectMany(c =>
            Enumerable.Range(0, 6).Select(i => SharedData.File("dogs-vs-cats", "train", c.Item1, $"{c.Item2}.{i * 37}.jpg")))];

    [Fact]
    public void LibjpegTurboIsLoadedOnAMachineTheSetUpPrepared()
    {
        Assert.True(TurboJpeg.Available,
            "libturbojpeg.so.0 was not found or lacks the TurboJPEG 2 API: scripts/setup.sh installs the Debian package libturbojpeg0.");
    }

    [Fact]
    public void ScaledSizesAreSkiaSharpsForEveryEighth()
    {
        foreach (var path in Photos)
        {
            using var codec = SKCodec.Create(path)!;
            for (int eighths = 1; eighths <= 8; eighths++)
                Assert.Equal(codec.GetScaledDimensions(eighths / 8f),
                    ImageDecoder.JpegScaledSize(codec.Info.Width, codec.Info.Height, eighths / 8f));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    public unsafe void TurboDecodeGivesSkiaSharpsPixelsAtEachScale(int eighths)
    {
        foreach (var path in Photos)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.True(TurboJpeg.TryReadHeader(bytes, out int width, out int height), path);
            using var codec = SKCodec.Create(path)!;
            Assert.Equal((codec.Info.Width, codec.Info.Height), (width, height));
            var size = ImageDecoder.JpegScaledSize(width, height, eighths / 8f);
            var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            var skia = new byte[info.BytesSize];
            var turbo = new byte[info.BytesSize];
            fixed (byte* s = skia)
                Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, (IntPtr)s));
            fixed (byte* t = turbo)
                Assert.True(TurboJpeg.TryDecode(bytes, t, size.Width, size.Height), path);
            int worst = 0;
            for (int i = 0; i < skia.Length; i++)
                worst = Math.Max(worst, Math.Abs(skia[i] - turbo[i]));
            Assert.True(worst <= 0, $"{Path.GetFileName(path)} at {eighths}/8: a byte differs from SkiaSharp's by {worst}.");
        }
    }

    [Fact]
    public unsafe void TurboDeclinesWhatItCannotDecodeCleanlyAndWritesNothingItClaims()
    {
        var bytes = File.ReadAllBytes(Photos[0]);
        Assert.True(TurboJpeg.TryReadHeader(bytes, out int width, out int height));
        var buffer = new byte[4 * width * height];
        fixed (byte* b = buffer)
        {
            // Cut in the scan: libjpeg-turbo only warns ("premature end of data"); with stop-on-warning it fails.
            Assert.False(TurboJpeg.TryDecode(bytes.AsSpan(0, bytes.Length / 2), b, width, height));
            Assert.False(TurboJpeg.TryReadHeader(bytes.AsSpan(0, 40), out _, out _));
            Assert.False(TurboJpeg.TryReadHeader("not a JPEG at all"u8.ToArray(), out _, out _));
        }
        // The same thread's decompressor still decodes a whole file after those failures.
        fixed (byte* b = buffer)
            Assert.True(TurboJpeg.TryDecode(bytes, b, width, height));
    }
}

using DlBook.Pipelines.Images;
using DlBook.TestSupport;
using SkiaSharp;

namespace DlBook.Pipelines.Tests.Images;

/// <summary>The two-pass Mitchell resampler against SkiaSharp's Mitchell draw and a sixteen-tap reference.</summary>
public class MitchellResamplerTests
{
    [Fact]
    public void KernelIsMitchellNetravaliWithOneThird()
    {
        Assert.Equal(8f / 9f, MitchellResampler.Weight(0), 6);
        Assert.Equal(1f / 18f, MitchellResampler.Weight(1), 6);
        Assert.Equal(1f / 18f, MitchellResampler.Weight(-1), 6);
        Assert.Equal(0f, MitchellResampler.Weight(2), 6);
        Assert.Equal(0f, MitchellResampler.Weight(2.5f));
        for (float f = 0; f < 1; f += 1 / 64f)
        {
            float sum = MitchellResampler.Weight(1 + f) + MitchellResampler.Weight(f) + MitchellResampler.Weight(1 - f) + MitchellResampler.Weight(2 - f);
            Assert.Equal(1f, sum, 5);
        }
    }

    public static TheoryData<int, int, int, int, int, int, int, int> Shapes => new()
    {
        // source w, h; canvas w, h; rectangle left, top, width, height
        { 125, 94, 64, 64, -19, 0, 102, 64 },   // IsoCrop of a 1/4-scale photo: the rectangle overhangs both sides
        { 125, 94, 64, 64, 0, 0, 64, 64 },      // Fill
        { 125, 94, 64, 64, 0, 7, 64, 48 },      // IsoPad: rows above and below stay as they were
        { 40, 30, 64, 64, 0, 0, 64, 64 },       // enlarging
        { 7, 5, 9, 11, 1, 2, 6, 8 },            // tiny, every tap clamped somewhere
        { 300, 17, 33, 29, -5, -3, 50, 40 },    // odd sizes, the rectangle off the top-left corner
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public unsafe void TwoPassesGiveTheSixteenTapFilterToWithinOne(int sw, int sh, int cw, int ch, int left, int top, int width, int height)
    {
        var rng = new Random(sw * 31 + cw);
        var src = new byte[4 * sw * sh];
        for (int i = 0; i < src.Length; i++) src[i] = i % 4 == 3 ? (byte)255 : (byte)rng.Next(256);
        var canvas = new byte[4 * cw * ch];
        Array.Fill(canvas, (byte)7);
        fixed (byte* s = src)
        fixed (byte* c = canvas)
            MitchellResampler.Draw(s, sw, sh, c, cw, ch, left, top, width, height);
        int worst = 0;
        for (int y = 0; y < ch; y++)
            for (int x = 0; x < cw; x++)
            {
                bool inside = x >= left && x < left + width && y >= top && y < top + height;
                for (int k = 0; k < 4; k++)
                {
                    int got = canvas[4 * (y * cw + x) + k];
                    if (!inside) { Assert.Equal(7, got); continue; }
                    worst = Math.Max(worst, Math.Abs(got - Reference(src, sw, sh, x, y, left, top, width, height, k)));
                }
            }
        Assert.True(worst <= 1, $"a byte is {worst} from the sixteen-tap reference");
    }

    [Theory]
    [InlineData("cats", "cat.11.jpg")]
    [InlineData("dogs", "dog.50.jpg")]
    [InlineData("dogs", "dog.123.jpg")]
    public unsafe void DrawsWhatSkiaSharpsMitchellDrawsToWithinOne(string folder, string file)
    {
        using var codec = SKCodec.Create(SharedData.File("dogs-vs-cats", "train", folder, file))!;
        var size = codec.GetScaledDimensions(0.25f);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, bitmap.GetPixels()));
        var outInfo = new SKImageInfo(64, 64, SKColorType.Rgba8888, SKAlphaType.Opaque);
        foreach (var (left, top, width, height) in new[] { (0, 0, 64, 64), (-17, 0, 98, 64), (0, 9, 64, 46) })
        {
            using var skia = new SKBitmap(outInfo);
            skia.Erase(SKColors.Transparent);
            using (var canvas = new SKCanvas(skia))
            using (var image = SKImage.FromBitmap(bitmap))
                canvas.DrawImage(image, new SKRect(0, 0, size.Width, size.Height), new SKRect(left, top, left + width, top + height),
                    new SKSamplingOptions(SKCubicResampler.Mitchell));
            var ours = new byte[outInfo.BytesSize];
            fixed (byte* o = ours)
                MitchellResampler.Draw((byte*)bitmap.GetPixels(), size.Width, size.Height, o, 64, 64, left, top, width, height);
            var theirs = skia.Bytes;
            int worst = 0, differ = 0;
            for (int i = 0; i < ours.Length; i++)
            {
                int d = Math.Abs(ours[i] - theirs[i]);
                worst = Math.Max(worst, d);
                if (d > 0) differ++;
            }
            Assert.True(worst <= 1, $"{file} into ({left}, {top}, {width} × {height}): a byte is {worst} from SkiaSharp's");
            Assert.True(differ < ours.Length / 20, $"{file}: {differ} of {ours.Length} bytes differ from SkiaSharp's");
        }
    }

    // Skia's bicubic sample at the centre of canvas pixel (x, y): sixteen taps, in double.
    private static int Reference(byte[] src, int sw, int sh, int x, int y, int left, int top, int width, int height, int channel)
    {
        double sx = (x + 0.5 - left) * sw / width + 0.5, sy = (y + 0.5 - top) * sh / height + 0.5;
        int mx = (int)Math.Floor(sx), my = (int)Math.Floor(sy);
        double fx = sx - mx, fy = sy - my, sum = 0;
        for (int j = 0; j < 4; j++)
            for (int i = 0; i < 4; i++)
            {
                int ix = Math.Clamp(mx - 2 + i, 0, sw - 1), iy = Math.Clamp(my - 2 + j, 0, sh - 1);
                sum += Cubic(fx + 1 - i) * Cubic(fy + 1 - j) * src[4 * (iy * sw + ix) + channel];
            }
        return (int)(Math.Clamp(sum, 0, 255) + 0.5);
    }

    // Mitchell & Netravali's family at B = C = 1/3, from the paper's general form.
    private static double Cubic(double d)
    {
        const double B = 1 / 3.0, C = 1 / 3.0;
        d = Math.Abs(d);
        if (d < 1) return ((12 - 9 * B - 6 * C) * d * d * d + (-18 + 12 * B + 6 * C) * d * d + (6 - 2 * B)) / 6;
        if (d < 2) return ((-B - 6 * C) * d * d * d + (6 * B + 30 * C) * d * d + (-12 * B - 48 * C) * d + (8 * B + 24 * C)) / 6;
        return 0;
    }
}

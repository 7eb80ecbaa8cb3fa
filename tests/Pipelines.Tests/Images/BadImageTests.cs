using DlBook.Pipelines.Data;
using DlBook.Pipelines.Images;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;
using SkiaSharp;
using static DlBook.Pipelines.Tests.Images.ImageTestData;

namespace DlBook.Pipelines.Tests.Images;

public sealed class BadImageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-bad-").FullName;
    private readonly MLContext _ml = new(1);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ImagePixelsOptions Options(BadImagePolicy policy = BadImagePolicy.Skip) =>
        new() { Width = 32, Height = 32, Resizing = ImageResizingEstimator.ResizingKind.Fill, BadImages = policy };

    /// <summary>A 256 × 256 JPEG with detail everywhere (so its data is spread over the whole file).</summary>
    private static byte[] DetailedJpeg()
    {
        using var bmp = TestImages.Bitmap(256, 256, (x, y) => ((byte)(x ^ y), (byte)(x * 3 + y), (byte)(y * 7 - x)));
        return TestImages.Encode(bmp, SKEncodedImageFormat.Jpeg, 90);
    }

    private string Good(string name)
    {
        using var bmp = TestImages.Bitmap(64, 64, (x, y) => (100, 150, 200));
        return TestImages.Write(_dir, name, TestImages.Encode(bmp, SKEncodedImageFormat.Png));
    }

    public static TheoryData<string> BadCases => ["truncated", "corrupt", "scan-damaged", "png-damaged", "png-huge-header", "empty", "text", "missing", "empty-path"];

    private string Bad(string kind)
    {
        var jpeg = DetailedJpeg();
        switch (kind)
        {
            case "truncated": return TestImages.Write(_dir, "truncated.jpg", jpeg[..(jpeg.Length / 2)]);
            case "corrupt":
                var junk = new byte[jpeg.Length];
                new Random(5).NextBytes(junk);
                junk[0] = 0xFF; junk[1] = 0xD8;   // a JPEG's start of image, then random bytes
                return TestImages.Write(_dir, "corrupt.jpg", junk);
            case "scan-damaged":
                // Header and tables intact, a quarter of the scan data overwritten: SkiaSharp alone says Success here.
                var damaged = (byte[])jpeg.Clone();
                var random = new Random(7);
                for (int i = jpeg.Length / 2; i < jpeg.Length * 3 / 4; i++) damaged[i] = (byte)random.Next(256);
                return TestImages.Write(_dir, "damaged.jpg", damaged);
            case "png-damaged":
                using (var bmp = TestImages.Bitmap(128, 128, (x, y) => ((byte)(x ^ y), (byte)(x * 3 + y), (byte)(y * 7 - x))))
                {
                    var png = TestImages.Encode(bmp, SKEncodedImageFormat.Png);
                    var rnd = new Random(8);
                    for (int i = png.Length / 2; i < png.Length / 2 + 64; i++) png[i] = (byte)rnd.Next(256);
                    return TestImages.Write(_dir, "damaged.png", png);
                }
            case "png-huge-header":
                // Found by the fuzzer: three bits flipped in IHDR (its CRC made to match) make a 500 × 374 PNG declare
                // 557,556 × 4,470 pixels; decoding it wrote past a buffer and crashed the process.
                using (var bmp = TestImages.Bitmap(500, 374, (x, y) => ((byte)x, (byte)y, 0)))
                {
                    var png = TestImages.Encode(bmp, SKEncodedImageFormat.Png);
                    png[17] ^= 0x08;
                    png[18] ^= 0x80;
                    png[22] ^= 0x10;
                    DlBook.TestSupport.PngChunks.FixCrc(png, 8);
                    return TestImages.Write(_dir, "huge.png", png);
                }
            case "empty": return TestImages.Write(_dir, "empty.jpg", []);
            case "text": return TestImages.Write(_dir, "notes.jpg", "These are notes, not a photo.\n"u8.ToArray());
            case "missing": return Path.Combine(_dir, "never-written.jpg");
            case "empty-path": return "";
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static string ExpectedProblem(string kind) => kind switch
    {
        "truncated" => "ends early",
        "corrupt" => "not an image",
        "scan-damaged" => "JPEG data is corrupt",
        "png-damaged" => "PNG data is corrupt",
        "png-huge-header" => "header declares 557,556 × 4,470 pixels",
        "empty" => "empty (0 bytes)",
        "text" => "not an image",
        "missing" => "does not exist",
        "empty-path" => "path is empty",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(BadCases))]
    public void BadImageIsSkippedCountedNamedAndLoggedByDefault(string kind)
    {
        var bad = Bad(kind);
        string[] paths = [Good("a.png"), bad, Good("b.png")];
        var warnings = new List<string>();
        _ml.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Warning && e.Message.Contains("LoadImagePixels")) lock (warnings) warnings.Add(e.Message); };
        var (rows, transformer) = Ours(_ml, paths, Options());
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(100f, r[0]));
        Assert.Equal(1, transformer.Report.BadImageCount);
        Assert.Equal(1, transformer.Report.SkippedRows);
        Assert.Equal(2, transformer.Report.ReadRows);
        var named = Assert.Single(transformer.Report.FirstBadImages);
        Assert.Equal(bad, named.Path);
        Assert.Contains(ExpectedProblem(kind), named.Problem);
        Assert.Contains(warnings, w => w.Contains($"'{bad}'") && w.Contains(ExpectedProblem(kind)));
        Assert.Contains(warnings, w => w.Contains("1 of 3 rows skipped"));
    }

    [Theory]
    [MemberData(nameof(BadCases))]
    public void BadImageStopsThePassNamingTheFileWithThrowPolicy(string kind)
    {
        var bad = Bad(kind);
        var e = Assert.Throws<DataFormatException>(() => Ours(_ml, [Good("a.png"), bad], Options(BadImagePolicy.Throw)));
        Assert.Equal(bad, e.FilePath);
        Assert.Contains(ExpectedProblem(kind), e.Message);
        Assert.Contains("BadImagePolicy.Skip", e.Message);
    }

    [Fact]
    public void TruncatedJpegIsDetectedNotReturnedAsPartlyGreyPixels()
    {
        var jpeg = DetailedJpeg();
        // Cut well into the scan data: SkiaSharp would fill the missing rows, and SKCodecResult.IncompleteInput says so.
        foreach (var cut in new[] { jpeg.Length - 200, jpeg.Length * 3 / 4, jpeg.Length / 3 })
        {
            var path = TestImages.Write(_dir, $"cut{cut}.jpg", jpeg[..cut]);
            var (rows, t) = Ours(_ml, [path], Options());
            Assert.Empty(rows);
            Assert.Contains("ends early", Assert.Single(t.Report.FirstBadImages).Problem);
        }
    }

    [Fact]
    public void SecondPassCountsSkippedRowsAgainButTheBadFileOnce()
    {
        var bad = Bad("truncated");
        var input = Paths(_ml, [Good("a.png"), bad]);
        var t = _ml.Transforms.LoadImagePixels(Options()).Fit(input);
        var view = t.Transform(input);
        Assert.Single(Vectors(view));
        Assert.Single(Vectors(view));
        Assert.Equal(1, t.Report.BadImageCount);
        Assert.Equal(2, t.Report.SkippedRows);
        Assert.Equal(2, t.Report.ReadRows);
    }

    [Fact]
    public void ReportKeepsOnlyTheFirstFilesByNameButCountsAll()
    {
        var paths = Enumerable.Range(0, 7).Select(i => TestImages.Write(_dir, $"e{i}.jpg", [])).ToList();
        var (rows, t) = Ours(_ml, paths, new ImagePixelsOptions { BadImagesKept = 3 });
        Assert.Empty(rows);
        Assert.Equal(7, t.Report.BadImageCount);
        Assert.Equal(paths[..3], t.Report.FirstBadImages.Select(b => b.Path).ToList());
    }

    [Fact]
    public void CmykJpegIsConvertedToRgbNotRejected()
    {
        // Adobe CMYK (inverted, as Photoshop writes it): stored 255 − ink. Blocks: no ink (white), full cyan, full
        // magenta, full yellow, full black, and cyan + yellow at half (green-ish).
        byte[][] inks = [[0, 0, 0, 0], [255, 0, 0, 0], [0, 255, 0, 0], [0, 0, 255, 0], [0, 0, 0, 255], [128, 0, 128, 0]];
        var bytes = TestImages.FlatJpeg(48, 8, 4, (bx, _) => inks[bx].Select(i => (byte)(255 - i)).ToArray(), adobe: true);
        Assert.Equal(4, TestImages.JpegComponents(bytes));
        var path = TestImages.Write(_dir, "cmyk.jpg", bytes);
        var o = new ImagePixelsOptions { Width = 48, Height = 8, Resizing = ImageResizingEstimator.ResizingKind.Fill };
        var (rows, t) = Ours(_ml, [path], o);
        Assert.Equal(0, t.Report.BadImageCount);
        var v = Assert.Single(rows);
        (float R, float G, float B) At(int bx) { int i = 4 * 48 + bx * 8 + 4; return (v[i], v[384 + i], v[768 + i]); }
        // The naive conversion R = (255 − C)(255 − K)/255 …: the one libjpeg-turbo and Skia use.
        Assert.Equal((255f, 255f, 255f), At(0));
        Assert.Equal((0f, 255f, 255f), At(1));
        Assert.Equal((255f, 0f, 255f), At(2));
        Assert.Equal((255f, 255f, 0f), At(3));
        Assert.Equal((0f, 0f, 0f), At(4));
        var (r, g, b) = At(5);
        Assert.Equal(127f, r, 1f);
        Assert.Equal(255f, g);
        Assert.Equal(127f, b, 1f);
        Assert.Equal(MlNetPixels(_ml, [path], o), rows);
    }

    [Fact]
    public void GreyScaleJpegAndPngGiveTheGreyInAllThreeChannels()
    {
        using var grey = TestImages.GreyBitmap(64, 64, (x, y) => (byte)(x < 32 ? 40 : 200));
        var jpegBytes = TestImages.Encode(grey, SKEncodedImageFormat.Jpeg, 95);
        Assert.Equal(1, TestImages.JpegComponents(jpegBytes));
        var pngBytes = TestImages.Encode(grey, SKEncodedImageFormat.Png);
        Assert.Equal(0, pngBytes[25]);   // IHDR colour type 0: grey-scale
        var flat = TestImages.FlatJpeg(64, 64, 1, (bx, _) => [(byte)(bx < 4 ? 40 : 200)], adobe: false);
        string[] paths = [TestImages.Write(_dir, "g.jpg", jpegBytes), TestImages.Write(_dir, "g.png", pngBytes), TestImages.Write(_dir, "flat.jpg", flat)];
        var (rows, t) = Ours(_ml, paths, new ImagePixelsOptions { Width = 32, Height = 32, Resizing = ImageResizingEstimator.ResizingKind.Fill });
        Assert.Equal(0, t.Report.BadImageCount);
        Assert.Equal(3, rows.Count);
        foreach (var v in rows)
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(40f, v[c * 1024 + 10 * 32 + 5], 2f);
                Assert.Equal(200f, v[c * 1024 + 10 * 32 + 26], 2f);
            }
    }
}

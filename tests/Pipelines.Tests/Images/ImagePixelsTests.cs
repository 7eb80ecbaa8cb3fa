using DlBook.Pipelines.Images;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using SkiaSharp;
using static DlBook.Pipelines.Tests.Images.ImageTestData;

namespace DlBook.Pipelines.Tests.Images;

public sealed class ImagePixelsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-img-").FullName;
    private readonly MLContext _ml = new(1);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly (byte R, byte G, byte B)[] Quadrants = [(220, 20, 30), (30, 200, 40), (20, 40, 210), (250, 240, 10)];

    private static (byte R, byte G, byte B) Quadrant(int x, int y, int size) => Quadrants[(y < size / 2 ? 0 : 2) + (x < size / 2 ? 0 : 1)];

    private static ImagePixelsOptions Fill(int size = 64) => new() { Width = size, Height = size, Resizing = ImageResizingEstimator.ResizingKind.Fill };

    [Fact]
    public void PngOfColourQuadrantsGivesItsExactValuesPlanarRedGreenBlue()
    {
        using var bmp = TestImages.Bitmap(64, 64, (x, y) => Quadrant(x, y, 64));
        var path = TestImages.Write(_dir, "q.png", TestImages.Encode(bmp, SKEncodedImageFormat.Png));
        var (rows, _) = Ours(_ml, [path], Fill());
        var v = Assert.Single(rows);
        Assert.Equal(3 * 64 * 64, v.Length);
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
            {
                var (r, g, b) = Quadrant(x, y, 64);
                Assert.Equal(r, v[y * 64 + x]);
                Assert.Equal(g, v[4096 + y * 64 + x]);
                Assert.Equal(b, v[8192 + y * 64 + x]);
            }
    }

    [Fact]
    public void JpegOfColourQuadrantsDecodedAtAQuarterMatchesWithinJpegTolerance()
    {
        using var bmp = TestImages.Bitmap(256, 256, (x, y) => Quadrant(x, y, 256));
        var path = TestImages.Write(_dir, "q.jpg", TestImages.Encode(bmp, SKEncodedImageFormat.Jpeg, 95));
        var v = Assert.Single(Ours(_ml, [path], Fill()).Rows);
        int worst = 0;
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
            {
                if (Math.Abs(x - 31.5) < 3 || Math.Abs(y - 31.5) < 3) continue;   // chroma is subsampled: edges blur
                var (r, g, b) = Quadrant(x, y, 64);
                worst = Math.Max(worst, (int)Math.Max(Math.Abs(v[y * 64 + x] - r), Math.Max(Math.Abs(v[4096 + y * 64 + x] - g), Math.Abs(v[8192 + y * 64 + x] - b))));
            }
        Assert.InRange(worst, 0, 6);
    }

    [Fact]
    public void HorizontalGradientHalvedByFillKeepsItsSlope()
    {
        using var bmp = TestImages.Bitmap(128, 32, (x, _) => ((byte)(2 * x), (byte)(255 - 2 * x), 128));
        var path = TestImages.Write(_dir, "g.png", TestImages.Encode(bmp, SKEncodedImageFormat.Png));
        var v = Assert.Single(Ours(_ml, [path], new ImagePixelsOptions { Width = 64, Height = 16, Resizing = ImageResizingEstimator.ResizingKind.Fill }).Rows);
        for (int x = 1; x < 63; x++)   // output x covers source 2x, 2x+1: red 4x+1 on average
        {
            Assert.InRange(v[8 * 64 + x], 4 * x + 1 - 2, 4 * x + 1 + 2);
            Assert.InRange(v[1024 + 8 * 64 + x], 255 - 4 * x - 1 - 2, 255 - 4 * x - 1 + 2);
            Assert.Equal(128f, v[2048 + 8 * 64 + x], 1f);
        }
    }

    [Fact]
    public void IsoPadOfAWideImageLeavesBlackBarsAboveAndBelow()
    {
        using var bmp = TestImages.Bitmap(128, 64, (_, _) => (255, 255, 255));
        var path = TestImages.Write(_dir, "wide.png", TestImages.Encode(bmp, SKEncodedImageFormat.Png));
        var o = new ImagePixelsOptions { Resizing = ImageResizingEstimator.ResizingKind.IsoPad };
        var v = Assert.Single(Ours(_ml, [path], o).Rows);
        for (int c = 0; c < 3; c++)
            for (int x = 0; x < 64; x++)
            {
                Assert.Equal(0f, v[c * 4096 + 0 * 64 + x]);
                Assert.Equal(0f, v[c * 4096 + 15 * 64 + x]);
                Assert.Equal(255f, v[c * 4096 + 32 * 64 + x], 1f);
                Assert.Equal(0f, v[c * 4096 + 48 * 64 + x]);
                Assert.Equal(0f, v[c * 4096 + 63 * 64 + x]);
            }
        Assert.Equal(MlNetPixels(_ml, [path], o)[0], v);
    }

    [Theory]
    [InlineData(ImageResizingEstimator.Anchor.Center, 1)]
    [InlineData(ImageResizingEstimator.Anchor.Left, 0)]
    [InlineData(ImageResizingEstimator.Anchor.Right, 2)]
    public void IsoCropOfAWideImageKeepsThePartTheAnchorNames(ImageResizingEstimator.Anchor anchor, int third)
    {
        using var bmp = TestImages.Bitmap(192, 64, (x, _) => Quadrants[x / 64]);
        var path = TestImages.Write(_dir, "thirds.png", TestImages.Encode(bmp, SKEncodedImageFormat.Png));
        var o = new ImagePixelsOptions { Resizing = ImageResizingEstimator.ResizingKind.IsoCrop, CropAnchor = anchor };
        var v = Assert.Single(Ours(_ml, [path], o).Rows);
        var (r, g, b) = Quadrants[third];
        for (int y = 0; y < 64; y++)
            for (int x = 2; x < 62; x++)
            {
                Assert.Equal(r, v[y * 64 + x], 1f);
                Assert.Equal(g, v[4096 + y * 64 + x], 1f);
                Assert.Equal(b, v[8192 + y * 64 + x], 1f);
            }
        Assert.Equal(MlNetPixels(_ml, [path], o)[0], v);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ColumnTypeIsExtractPixelsTypeThreeByHeightByWidthOrInterleaved(bool interleave)
    {
        using var bmp = TestImages.Bitmap(40, 30, (x, y) => ((byte)x, (byte)y, 7));
        var path = TestImages.Write(_dir, "t.png", TestImages.Encode(bmp, SKEncodedImageFormat.Png));
        var o = new ImagePixelsOptions { Width = 32, Height = 24, InterleavePixelColors = interleave };
        var input = Paths(_ml, [path]);
        var type = Assert.IsType<VectorDataViewType>(_ml.Transforms.LoadImagePixels(o).Fit(input).Transform(input).Schema["Features"].Type);
        Assert.Equal(interleave ? [24, 32, 3] : new[] { 3, 24, 32 }, type.Dimensions.ToArray());
        Assert.Equal(NumberDataViewType.Single, type.ItemType);
        Assert.Equal(MlNetType(_ml, path, o), type);
    }

    [Theory]
    [InlineData(ImageResizingEstimator.ResizingKind.Fill)]
    [InlineData(ImageResizingEstimator.ResizingKind.IsoPad)]
    [InlineData(ImageResizingEstimator.ResizingKind.IsoCrop)]
    public void OffsetScaleInterleaveAndBgrGiveExtractPixelsValuesExactlyWithFullDecode(ImageResizingEstimator.ResizingKind resizing)
    {
        using var bmp = TestImages.Bitmap(90, 50, (x, y) => ((byte)(x * 2), (byte)(y * 5), (byte)((x * y) % 256)));
        var png = TestImages.Write(_dir, "p.png", TestImages.Encode(bmp, SKEncodedImageFormat.Png));
        var jpg = TestImages.Write(_dir, "p.jpg", TestImages.Encode(bmp, SKEncodedImageFormat.Jpeg, 90));
        foreach (var (interleave, order) in new[] { (false, ImageChannelOrder.Rgb), (true, ImageChannelOrder.Bgr) })
        {
            var o = new ImagePixelsOptions
            {
                Width = 32, Height = 24, Resizing = resizing, InterleavePixelColors = interleave, ChannelOrder = order,
                OffsetImage = 127.5f, ScaleImage = 1 / 127.5f, ScaledDecode = false,
            };
            Assert.Equal(MlNetPixels(_ml, [png, jpg], o), Ours(_ml, [png, jpg], o).Rows);
        }
    }

    [Fact]
    public void OneThreadOnePrefetchGivesTheSameRowsInTheSameOrderAsTheDefault()
    {
        var paths = Enumerable.Range(0, 12).Select(i =>
        {
            using var bmp = TestImages.Bitmap(80 + i * 8, 60, (x, y) => ((byte)(x + i * 20), (byte)y, (byte)(i * 10)));
            return TestImages.Write(_dir, $"o{i}.jpg", TestImages.Encode(bmp, SKEncodedImageFormat.Jpeg));
        }).ToArray();
        var parallel = Ours(_ml, paths, new ImagePixelsOptions { DecodeThreads = 2, Prefetch = 6 }).Rows;
        var serial = Ours(_ml, paths, new ImagePixelsOptions { DecodeThreads = 1, Prefetch = 1 }).Rows;
        Assert.Equal(12, parallel.Count);
        Assert.Equal(serial, parallel);
        Assert.NotEqual(parallel[0], parallel[5]);
    }

    [Fact]
    public void InputColumnsPassThroughBesideThePixels()
    {
        using var bmp = TestImages.Bitmap(16, 16, (_, _) => (1, 2, 3));
        var path = TestImages.Write(_dir, "c/a.png", TestImages.Encode(bmp, SKEncodedImageFormat.Png));
        var view = _ml.Data.LoadFromImageFolder(_dir);
        var output = _ml.Transforms.LoadImagePixels(Fill(8)).Fit(view).Transform(view);
        Assert.Equal(["ImagePath", "Label", "Features"], output.Schema.Select(c => c.Name).ToArray());
        var row = _ml.Data.CreateEnumerable<FolderRow>(output, reuseRowObject: false).Single();
        Assert.Equal(path, row.ImagePath);
        Assert.Equal("c", row.Label);
        Assert.Equal(new float[] { 1, 2, 3 }, new[] { row.Features[0], row.Features[64], row.Features[128] });
    }

    private sealed class FolderRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
        [VectorType(3, 8, 8)] public float[] Features { get; set; } = [];
    }

    [Fact]
    public void SavedModelLoadsInANewContextAndGivesTheSamePixels()
    {
        using var bmp = TestImages.Bitmap(50, 40, (x, y) => ((byte)(x * 5), (byte)(y * 6), 90));
        var path = TestImages.Write(_dir, "m.jpg", TestImages.Encode(bmp, SKEncodedImageFormat.Jpeg));
        var input = Paths(_ml, [path]);
        var o = new ImagePixelsOptions { Width = 24, Height = 20, Resizing = ImageResizingEstimator.ResizingKind.IsoPad, ScaleImage = 1 / 255f, ChannelOrder = ImageChannelOrder.Bgr };
        var model = _ml.Transforms.LoadImagePixels(o).Fit(input);
        var zip = Path.Combine(_dir, "model.zip");
        _ml.Model.Save(model, input.Schema, zip);

        var fresh = new MLContext(2).RegisterDlBookImages();
        var loaded = fresh.Model.Load(zip, out _);
        var again = Paths(fresh, [path]);
        Assert.Equal(Vectors(model.Transform(input)), Vectors(loaded.Transform(again)));
        Assert.IsType<ImagePixelsTransformer>(loaded is TransformerChain<ITransformer> chain ? chain.Single() : loaded);
    }
}

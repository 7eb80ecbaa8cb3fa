using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using DlBook.Pipelines.Data;
using DlBook.TestSupport;

namespace DlBook.Pipelines.Tests.Loaders;

public sealed class IdxLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-idx-").FullName;
    private readonly MLContext _ctx = new(1);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Decompress(string gz)
    {
        var path = Path.Combine(_dir, Path.GetFileNameWithoutExtension(gz));
        using var src = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
        using var dst = File.Create(path);
        src.CopyTo(dst);
        return path;
    }

    [Fact]
    public void TrainingSetHas60000ImagesWithTheKnownFirstLabelsAndLabelHistogram()
    {
        var view = _ctx.Data.LoadFromIdx(SharedData.Mnist("train-images-idx3-ubyte.gz"), SharedData.Mnist("train-labels-idx1-ubyte.gz"));
        Assert.Equal(60000L, view.GetRowCount());
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 784), view.Schema["Features"].Type);
        Assert.Equal(NumberDataViewType.Single, view.Schema["Label"].Type);
        var labels = TestViews.Floats(view, "Label");
        Assert.Equal(60000, labels.Length);
        Assert.Equal(new float[] { 5, 0, 4, 1, 9, 2, 1, 3, 1, 4 }, labels[..10]);
        var histogram = Enumerable.Range(0, 10).Select(d => labels.Count(l => l == d)).ToArray();
        Assert.Equal(new[] { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 }, histogram);
    }

    [Fact]
    public void PixelsAreScaledToZeroOneByDefaultAndRawWithScaleOne()
    {
        var images = SharedData.Mnist("t10k-images-idx3-ubyte.gz");
        var scaled = TestViews.Floats(_ctx.Data.TakeRows(_ctx.Data.LoadFromIdx(images), 100), "Features");
        var raw = TestViews.Floats(_ctx.Data.TakeRows(_ctx.Data.LoadFromIdx(images, scale: 1f), 100), "Features");
        Assert.Equal(78400, scaled.Length);
        Assert.Equal(0f, scaled.Min());
        Assert.Equal(1f, scaled.Max());
        Assert.Equal(255f, raw.Max());
        Assert.All(raw, v => Assert.Equal(MathF.Round(v), v));
        for (int i = 0; i < raw.Length; i++) Assert.Equal(raw[i] * (1f / 255), scaled[i]);
        // The corner pixel of a centred digit is background.
        Assert.Equal(0f, raw[0]);
    }

    [Fact]
    public void TestSetGzippedAndRawGiveIdenticalData()
    {
        var imagesGz = SharedData.Mnist("t10k-images-idx3-ubyte.gz");
        var labelsGz = SharedData.Mnist("t10k-labels-idx1-ubyte.gz");
        var gz = _ctx.Data.LoadFromIdx(imagesGz, labelsGz);
        var raw = _ctx.Data.LoadFromIdx(Decompress(imagesGz), Decompress(labelsGz));
        Assert.Equal(10000L, gz.GetRowCount());
        Assert.Equal(10000L, raw.GetRowCount());
        Assert.Equal(TestViews.Floats(gz, "Features"), TestViews.Floats(raw, "Features"));
        var labels = TestViews.Floats(raw, "Label");
        Assert.Equal(TestViews.Floats(gz, "Label"), labels);
        Assert.Equal(new float[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }, labels[..10]);
    }

    [Fact]
    public void LabelsFileGivenAsImagesIsAWrongMagicError()
    {
        var labels = SharedData.Mnist("t10k-labels-idx1-ubyte.gz");
        var e = Assert.Throws<DataFormatException>(() => _ctx.Data.LoadFromIdx(labels));
        Assert.Contains("t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains("0x00000803", e.Message);
        Assert.Contains("labels file", e.Message);
    }

    [Fact]
    public void NonIdxFileIsRejectedNamingTheFile()
    {
        var path = Path.Combine(_dir, "notes.idx");
        File.WriteAllText(path, "hello, this is not an IDX file at all");
        var e = Assert.Throws<DataFormatException>(() => _ctx.Data.LoadFromIdx(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("byte offset 0", e.Message);
    }

    [Fact]
    public void TruncatedRawFileFailsAtLoadWithTheOffset()
    {
        var raw = Decompress(SharedData.Mnist("t10k-images-idx3-ubyte.gz"));
        var cut = Path.Combine(_dir, "cut-images");
        File.WriteAllBytes(cut, File.ReadAllBytes(raw)[..(16 + 784 * 10 + 5)]);
        var e = Assert.Throws<DataFormatException>(() => _ctx.Data.LoadFromIdx(cut));
        Assert.Contains(cut, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains($"byte offset {16 + 784 * 10 + 5}", e.Message);
        Assert.Contains("10 of 10,000 images", e.Message);
    }

    [Fact]
    public void TruncatedGzipFileFailsOnFirstEnumeration()
    {
        var bytes = File.ReadAllBytes(SharedData.Mnist("t10k-images-idx3-ubyte.gz"));
        var cut = Path.Combine(_dir, "cut-images.gz");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var view = _ctx.Data.LoadFromIdx(cut); // header is fine: the error comes with the pixels
        var e = Assert.Throws<DataFormatException>(() => TestViews.Floats(view, "Features"));
        Assert.Contains(cut, e.Message);
    }

    [Fact]
    public void ImagesAndLabelsOfDifferentSplitsAreAMismatch()
    {
        var e = Assert.Throws<DataFormatException>(() => _ctx.Data.LoadFromIdx(
            SharedData.Mnist("train-images-idx3-ubyte.gz"), SharedData.Mnist("t10k-labels-idx1-ubyte.gz")));
        Assert.Contains("t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains("10,000 labels", e.Message);
        Assert.Contains("60,000 images", e.Message);
    }

    [Fact]
    public void ZeroRowsInHeaderIsABadDimension()
    {
        var path = Path.Combine(_dir, "bad-dims");
        var header = new byte[] { 0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 28 };
        File.WriteAllBytes(path, header);
        var e = Assert.Throws<DataFormatException>(() => _ctx.Data.LoadFromIdx(path));
        Assert.Contains("rows = 0", e.Message);
        Assert.Contains("byte offset 8", e.Message);
    }

    [Fact]
    public void MissingFileIsFileNotFound()
    {
        var e = Assert.Throws<FileNotFoundException>(() => _ctx.Data.LoadFromIdx(Path.Combine(_dir, "nope.gz")));
        Assert.Contains("nope.gz", e.Message);
    }
}

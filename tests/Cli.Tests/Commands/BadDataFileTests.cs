using System.Buffers.Binary;
using System.IO.Compression;
using DlBook.Cli.Tests.Support;
using DlBook.TestSupport;

namespace DlBook.Cli.Tests.Commands;

/// <summary>
/// Data files the fuzzing harness (tests/Fuzz) found ending in exit 0 on a wrong file, or in exit 2 with a message that
/// did not name the file: each now ends in exit 2 naming it.
/// </summary>
public sealed class BadDataFileTests(TrainedModel trained) : IClassFixture<TrainedModel>
{
    private const int Pixels = 784;

    private string Csv(string name, Func<int, int> cellsOfRow)
    {
        var path = trained.Tmp(name);
        File.WriteAllLines(path, Enumerable.Range(0, 5).Select(r => string.Join(',', Enumerable.Repeat("0.5", cellsOfRow(r)))));
        return path;
    }

    // The engine's predict on the model zip and ONNX Runtime's score on its export, on the same CSV.
    private CliRunner.Result[] PredictAndScore(string csv) =>
    [
        CliRunner.Run("predict", "--model", trained.Model, "--input", csv, "--out", trained.Tmp("p.csv")),
        CliRunner.Run("score", "--model", Onnx(), "--input", csv, "--out", trained.Tmp("s.csv")),
    ];

    private string Onnx()
    {
        var onnx = trained.Tmp("bad-data.onnx");
        if (!File.Exists(onnx)) Assert.Equal(0, CliRunner.Run("export", "--model", trained.Model, "--out", onnx, "--quiet").ExitCode);
        return onnx;
    }

    // A gzipped IDX slice of MNIST's test set: the first 20 items, the header's count set to 20, then `patch` applied.
    private string Idx(string name, string source, int header, int itemSize, Action<byte[]>? patch = null, bool gzip = true)
    {
        using var gz = new GZipStream(File.OpenRead(SharedData.Mnist(source)), CompressionMode.Decompress);
        var bytes = new byte[header + 20 * itemSize];
        gz.ReadExactly(bytes);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 20);
        patch?.Invoke(bytes);
        var path = trained.Tmp(name);
        using (var file = File.Create(path))
            if (gzip) { using var z = new GZipStream(file, CompressionLevel.Fastest); z.Write(bytes); }
            else file.Write(bytes);
        return path;
    }

    [Theory]
    [InlineData(Pixels + 1)]
    [InlineData(Pixels - 1)]
    public void ACsvRowWithAnotherNumberOfCellsThanTheFirstNamesTheFileAndLine(int cells)
    {
        // A longer row's extra cells were dropped and predict exited 0.
        var path = Csv($"row-of-{cells}.csv", r => r == 3 ? cells : Pixels);
        foreach (var r in PredictAndScore(path))
        {
            Assert.Equal(2, r.ExitCode);
            Assert.Contains($"row-of-{cells}.csv', line 4: {cells} cells where the first data row has 784", r.Error);
        }
    }

    [Fact]
    public void AnEmptyCsvCellIsNotANumberNamingTheLineAndColumn()
    {
        // Found by the fuzzer: ML.NET's TextLoader reads an empty cell as 0 unless told otherwise; it was scored.
        var path = trained.Tmp("empty-cell.csv");
        File.WriteAllLines(path, Enumerable.Range(0, 5).Select(r => string.Join(',', Enumerable.Range(0, Pixels).Select(c => r == 2 && c == 9 ? " " : "0.5"))));
        foreach (var r in PredictAndScore(path))
        {
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("empty-cell.csv', line 3, column 10: ' ' is not a number", r.Error);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void ASeriesOfFewerValuesThanAWindowNamesTheFile(int values)
    {
        // Found by the fuzzer: one value left no test part, and the last-value baseline's mean of nothing was exit 1.
        var path = trained.Tmp($"short-{values}.csv");
        File.WriteAllLines(path, ["\"Month\",\"Passengers\"", .. Enumerable.Range(0, values).Select(i => $"\"1949-0{i + 1}\",112")]);
        var r = CliRunner.Run("train", "rnn", "--task", "Series", "--series", path, "--length", "6", "--epochs", "1", "--out", trained.Tmp("rnn.zip"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"short-{values}.csv", r.Error);
    }

    [Fact]
    public void ATextsFileWithALabelOfOneTextNamesTheFileAndLabel()
    {
        // Found by the fuzzer: the test part had no text of that label and ML.NET's evaluator said "AUC is not defined".
        var path = trained.Tmp("one-spam.tsv");
        File.WriteAllLines(path, [.. Enumerable.Range(0, 20).Select(i => $"ham\tsee you at {i}"), "spam\tWIN a prize now"]);
        var r = CliRunner.Run("train", "rnn", "--task", "Text", "--text", path, "--hidden", "4", "--epochs", "1", "--out", trained.Tmp("rnn.zip"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("one-spam.tsv: label 'spam': it has 1 text, too few", r.Error);
    }

    [Fact]
    public void ACsvWhoseRowsAllHaveTheWrongWidthNamesTheFileNotOnlyTheColumn()
    {
        var path = Csv("narrow.csv", _ => 782);
        foreach (var r in PredictAndScore(path))
        {
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("narrow.csv", r.Error);
            Assert.Contains("782", r.Error);
        }
    }

    [Fact]
    public void IdxImagesOfAnotherShapeNameTheFile()
    {
        // 28 × 29 images: a valid IDX file the model cannot read; the message named only the column.
        var images = Idx("wide-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz", 16, 28 * 29 - 28,
            b => BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(12), 29), gzip: false);
        File.WriteAllBytes(images, [.. File.ReadAllBytes(images), .. new byte[20 * 28]]);
        var labels = Idx("wide-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 8, 1);
        var r = CliRunner.Run("evaluate", "--model", trained.Model, "--images", images, "--labels", labels);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("wide-images-idx3-ubyte", r.Error);
        Assert.Contains("812", r.Error);
    }

    [Fact]
    public void AGzippedLabelsFileCorruptAfterItsHeaderNamesTheLabelsFileNotTheImages()
    {
        // Found by the fuzzer: the labels are read inside ML.NET's evaluator, which wraps the reader's error twice;
        // the message named --images and gzip's complaint, not the labels file. A gzip stream by hand: a stored deflate
        // block with the header and 10 labels, then a block of the reserved type 3, which no decoder reads.
        var images = Idx("good-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", 16, Pixels);
        byte[] idx = [0, 0, 8, 1, 0, 0, 0, 20, .. Enumerable.Range(0, 10).Select(i => (byte)i)];
        byte[] gzip = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF,
            0, (byte)idx.Length, 0, (byte)~idx.Length, 0xFF, .. idx, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var labels = trained.Tmp("corrupt-labels-idx1-ubyte.gz");
        File.WriteAllBytes(labels, gzip);
        var r = CliRunner.Run("evaluate", "--model", trained.Model, "--images", images, "--labels", labels);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("corrupt-labels-idx1-ubyte.gz", r.Error);
        Assert.Contains("gzip stream is corrupt", r.Error);
    }
}

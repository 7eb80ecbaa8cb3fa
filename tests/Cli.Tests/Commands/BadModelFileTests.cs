using System.IO.Compression;
using DlBook.Cli.Tests.Support;
using DlBook.TestSupport;
using DlBook.Trainers.Packaging;
using Microsoft.ML;

namespace DlBook.Cli.Tests.Commands;

/// <summary>
/// Model zips that are not what the program wrote — zip bombs, names outside the archive, repeated entries, headers
/// that lie — are refused before ML.NET extracts anything: exit 2, naming the file and the entry.
/// </summary>
public sealed class BadModelFileTests(TrainedModel trained) : IClassFixture<TrainedModel>
{
    private const string Manifest = "TransformerChain/Transform_001/manifest.json";

    /// <summary>A copy of the trained model zip with its entries passed through <paramref name="rewrite"/>.</summary>
    private string Rewritten(string name, Action<ZipArchive, ZipArchiveEntry, byte[]> rewrite)
    {
        var path = trained.Tmp(name);
        using var source = ZipFile.OpenRead(trained.Model);
        using var target = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var e in source.Entries)
        {
            using var ms = new MemoryStream();
            using (var s = e.Open()) s.CopyTo(ms);
            rewrite(target, e, ms.ToArray());
        }
        return path;
    }

    private static void Copy(ZipArchive zip, string name, byte[] bytes)
    {
        using var s = zip.CreateEntry(name).Open();
        s.Write(bytes);
    }

    private static CliRunner.Result Evaluate(string model) => CliRunner.Run("evaluate", "--model", model, "--data-dir", SharedData.Root);

    [Fact]
    public void AManifestThatExpandsAThousandfoldIsRefusedAsAZipBombNamingTheEntryBeforeAnythingIsExtracted()
    {
        var bomb = Rewritten("bomb.zip", (zip, e, bytes) =>
        {
            if (e.FullName != Manifest) { Copy(zip, e.FullName, bytes); return; }
            using var s = zip.CreateEntry(e.FullName, CompressionLevel.Fastest).Open();
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) s.Write(zeros);   // 64 MiB of zeros in about 64 KB
        });
        Assert.True(new FileInfo(bomb).Length < 1 << 20);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var r = Evaluate(bomb);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bomb.zip", r.Error);
        Assert.Contains(Manifest, r.Error);
        Assert.Contains("zip bomb", r.Error);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 32 << 20, "the check reads in small buffers, it does not hold the entry");
    }

    [Fact]
    public void AnEntryLargerThanTheCapIsRefusedWhileReadingWhateverItsRatio()
    {
        var big = Rewritten("big.zip", (zip, e, bytes) =>
            Copy(zip, e.FullName, e.FullName == Manifest ? [.. bytes, .. new byte[3 << 20].Select((_, i) => (byte)(i * 7919 >> 3))] : bytes));
        var limits = new ModelArchiveLimits { MaxEntryBytes = 2 << 20, MaxCompressionRatio = double.MaxValue };
        var e = Assert.Throws<ModelFormatException>(() => ModelFiles.Load(new MLContext(), big, out _, limits));
        Assert.Contains(Manifest, e.Message);
        Assert.Contains("2,097,152", e.Message);
        // The default caps read the same file and reach the network's manifest, which is no longer JSON.
        var r = Evaluate(big);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("big.zip", r.Error);
    }

    [Theory]
    [InlineData("../escape.txt", "outside the archive")]
    [InlineData("/etc/cron.d/x", "outside the archive")]
    [InlineData("TransformerChain/../../x", "outside the archive")]
    [InlineData(Manifest, "appears twice")]
    public void AnEntryNameThatLeavesTheArchiveOrRepeatsIsRefused(string extra, string says)
    {
        var path = Rewritten($"named{(uint)extra.GetHashCode()}.zip", (zip, e, bytes) => Copy(zip, e.FullName, bytes));
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update)) Copy(zip, extra, "x"u8.ToArray());
        var r = Evaluate(path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(Path.GetFileName(path), r.Error);
        Assert.Contains(extra, r.Error);
        Assert.Contains(says, r.Error);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void ANetworkHeaderWhoseManifestLengthLiesIsABadModelNamingTheFile(int length)
    {
        int real, weights;
        using (var zip = ZipFile.OpenRead(trained.Model))
            (real, weights) = ((int)zip.GetEntry(Manifest)!.Length, (int)zip.GetEntry("TransformerChain/Transform_001/weights.safetensors")!.Length);
        byte[] header = [.. BitConverter.GetBytes(1), .. BitConverter.GetBytes(real), .. BitConverter.GetBytes(weights)];   // format, manifest, weights
        var path = Rewritten($"header{length}.zip", (zip, e, bytes) =>
        {
            if (e.FullName == "TransformerChain/Transform_001/Model.key")
            {
                int at = bytes.AsSpan().IndexOf(header);
                Assert.True(at > 0, "the network's header holds the format and both lengths");
                BitConverter.GetBytes(length).CopyTo(bytes, at + 4);
            }
            Copy(zip, e.FullName, bytes);
        });
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var r = Evaluate(path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"header{length}.zip", r.Error);
        Assert.Contains("manifest.json", r.Error);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 256 << 20, "a lying length is not allocated");
    }

    [Fact]
    public void AManifestThatIsNotJsonIsABadModelNotAnInternalError()
    {
        var path = Rewritten("zeros.zip", (zip, e, bytes) => Copy(zip, e.FullName, e.FullName == Manifest ? new byte[bytes.Length] : bytes));
        var r = Evaluate(path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("zeros.zip", r.Error);
        Assert.Contains("not readable JSON", r.Error);
        Assert.DoesNotContain("target of an invocation", r.Error);
    }

    [Fact]
    public void AZipWhoseEndRecordMiscountsItsEntriesIsABadModelNamingTheFile()
    {
        // Found by the fuzzer: ZipArchive throws reading Entries (after the constructor), which the check did not catch.
        var bytes = File.ReadAllBytes(trained.Model);
        int end = bytes.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        bytes[end + 8]++;    // entries on this disk
        bytes[end + 10]++;   // entries in all
        var path = trained.Tmp("miscounted.zip");
        File.WriteAllBytes(path, bytes);
        var r = Evaluate(path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("miscounted.zip", r.Error);
        Assert.Contains("zip directory is damaged", r.Error);
    }

    [Fact]
    public void AnEntryWhoseBytesNoLongerMatchItsCrcIsABadModelNamingTheEntry()
    {
        // Found by the fuzzer: ZipArchive does not check CRCs, so damaged deflate data decoded to other weights and the
        // NaN scores they gave were blamed on the input's first row. Stored entries make the damage certain to decode.
        const string weights = "TransformerChain/Transform_001/weights.safetensors";
        var path = Rewritten("flipped.zip", (zip, e, bytes) =>
        {
            using var s = zip.CreateEntry(e.FullName, CompressionLevel.NoCompression).Open();
            s.Write(bytes);
        });
        var file = File.ReadAllBytes(path);
        using (var zip = ZipFile.OpenRead(path))
        {
            var entry = zip.GetEntry(weights)!;
            Assert.Equal(entry.Length, entry.CompressedLength);
        }
        int at = file.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(weights)) + weights.Length + 4000;   // inside its data
        file[at] ^= 0x40;
        File.WriteAllBytes(path, file);
        var r = Evaluate(path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("flipped.zip", r.Error);
        Assert.Contains($"'{weights}' is damaged (its CRC-32", r.Error);
    }

    [Fact]
    public void AnOnnxModelWhoseWeightsAreNaNIsRefusedNamingItNotWrittenAsPredictions()
    {
        // Found by the fuzzer: 32 bytes of 0xFF in the first layer's weights, and score wrote rows of NaN with exit 0.
        var onnx = trained.Tmp("nan-weights.onnx");
        Assert.Equal(0, CliRunner.Run("export", "--model", trained.Model, "--out", onnx, "--quiet").ExitCode);
        var bytes = File.ReadAllBytes(onnx);
        Array.Fill(bytes, (byte)0xFF, bytes.Length / 2, 32);   // the [784, 30] weights are most of the file
        File.WriteAllBytes(onnx, bytes);
        var output = trained.Tmp("nan-scores.csv");
        var r = CliRunner.Run("score", "--model", onnx, "--input", SharedData.Mnist("t10k-images-idx3-ubyte.gz"), "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("nan-weights.onnx' gives the non-finite score NaN for data row 1", r.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AModelZipWhoseWeightsAreNaNIsRefusedWhenLoadedNamingTheModelNotTheInput()
    {
        // Found by the long fuzz run (model-zip #93, seed 7): finite features, a non-finite score, and the message blamed --input.
        var ml = new Microsoft.ML.MLContext();
        var chain = (Microsoft.ML.Data.TransformerChain<Microsoft.ML.ITransformer>)DlBook.Trainers.Packaging.ModelFiles.Load(ml, trained.Model, out var schema);
        var network = chain.OfType<DlBook.Trainers.Networks.NetworkTransformer>().Single();
        network.Model.Network.Parameters[0].Value.Span.Fill(float.NaN);
        var model = trained.Tmp("nan-weights.zip");
        DlBook.Trainers.Packaging.ModelFiles.Save(ml, chain, schema, model);
        var csv = trained.Tmp("finite.csv");
        File.WriteAllText(csv, string.Join(",", Enumerable.Repeat("0.5", 784)) + "\n");
        var output = trained.Tmp("nan-predictions.csv");
        var r = CliRunner.Run("predict", "--model", model, "--input", csv, "--out", output);
        // The weights are refused where they are read, so the message names the model file, not --input.
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("nan-weights.zip", r.Error);
        Assert.Contains("non-finite value NaN", r.Error);
        Assert.Contains("damaged", r.Error);
        Assert.DoesNotContain("--input", r.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AChainHeaderWhoseLoaderNameIsDamagedIsABadModelNamingTheFile()
    {
        // Found by the fuzzer: ML.NET reads the chain's loader assembly name from the header and threw a FileLoadException
        // ("The given assembly name was invalid."), exit 2 without the file's name.
        var path = Rewritten("loader-name.zip", (zip, e, bytes) =>
        {
            if (e.FullName == "TransformerChain/Model.key") System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(293), 65536);
            Copy(zip, e.FullName, bytes);
        });
        var r = Evaluate(path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("loader-name.zip", r.Error);
    }

    [Fact]
    public void ATruncatedModelZipIsABadModelNamingTheFile()
    {
        var path = trained.Tmp("truncated.zip");
        var bytes = File.ReadAllBytes(trained.Model);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var r = Evaluate(path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("truncated.zip", r.Error);
    }
}

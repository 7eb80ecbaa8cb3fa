using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using DlBook.Pipelines.DataSets;
using DlBook.TestSupport;

namespace DlBook.Pipelines.Tests.DataSets;

/// <summary>Tests that change DLBOOK_DATA or the current directory (process-wide) run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment { }

/// <summary>The registry, the verifier and the downloader.</summary>
public sealed class DataSetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-datasets-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public void TheRegistryFindsDataSetsByNameIgnoringCase()
    {
        Assert.Same(DataSetRegistry.Mnist, DataSetRegistry.Get("MNIST"));
        Assert.Same(DataSetRegistry.FashionMnist, DataSetRegistry.Get("fashion-mnist"));
        Assert.Equal(DataSetRegistry.All.Count, DataSetRegistry.All.Select(d => d.Name).Distinct().Count());
        var e = Assert.Throws<DataSetException>(() => DataSetRegistry.Get("cifar"));
        Assert.Contains("'cifar'", e.Message);
        Assert.Contains("mnist, fashion-mnist, dogs-vs-cats, sms-spam, tinyshakespeare, timeseries", e.Message);
        Assert.Equal(new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" },
            DataSetRegistry.Mnist.Files.Select(f => f.FileName));
        Assert.All(DataSetRegistry.Mnist.Files, f => Assert.Matches("^[0-9a-f]{64}$", f.ContentSha256!));
    }

    [Fact]
    public void TheSharedMnistFilesMatchTheirPinnedHashes()
    {
        var folder = Path.GetDirectoryName(SharedData.Mnist("train-labels-idx1-ubyte.gz"))!;
        var checks = DataSetVerifier.Verify(DataSetRegistry.Mnist, folder);
        Assert.Equal(4, checks.Count);
        Assert.All(checks, c => Assert.True(c.Ok, $"{c.Path}: {c.ActualSha256} ≠ {c.File.ContentSha256}"));
        Assert.All(checks, c => Assert.Equal(c.File.ContentSha256, c.ActualSha256));
    }

    [Fact]
    public void TheHashIsOfTheDecompressedContentsWhenGzipped()
    {
        var content = Encoding.ASCII.GetBytes("the quick brown fox");
        var plain = Path.Combine(_dir, "plain.bin");
        File.WriteAllBytes(plain, content);
        var gz = Path.Combine(_dir, "packed.gz");
        using (var zip = new GZipStream(File.Create(gz), CompressionLevel.Optimal)) zip.Write(content);
        Assert.Equal(Sha256(content), DataSetVerifier.ContentSha256(plain));
        Assert.Equal(Sha256(content), DataSetVerifier.ContentSha256(gz));
        Assert.NotEqual(Sha256(File.ReadAllBytes(gz)), DataSetVerifier.ContentSha256(gz));
        // Known vector: SHA-256 of the empty input.
        var empty = Path.Combine(_dir, "empty");
        File.WriteAllBytes(empty, []);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", DataSetVerifier.ContentSha256(empty));
    }

    [Fact]
    public void CheckReportsMissingMismatchedCorruptAndUnpinnedFiles()
    {
        var content = Encoding.ASCII.GetBytes("abc");
        var path = Path.Combine(_dir, "a.bin");
        File.WriteAllBytes(path, content);

        var ok = DataSetVerifier.Check(new DataSetFile("a.bin", Sha256(content)), path);
        Assert.True(ok.Ok && ok.Exists);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ok.ActualSha256);

        var wrong = DataSetVerifier.Check(new DataSetFile("a.bin", new string('0', 64)), path);
        Assert.False(wrong.Ok);
        Assert.True(wrong.Exists);
        Assert.Equal(Sha256(content), wrong.ActualSha256);

        var missing = DataSetVerifier.Check(new DataSetFile("b.bin", Sha256(content)), Path.Combine(_dir, "b.bin"));
        Assert.False(missing.Ok || missing.Exists);
        Assert.Null(missing.ActualSha256);

        var unpinned = DataSetVerifier.Check(new DataSetFile("a.bin", null), path);
        Assert.True(unpinned.Ok);
        Assert.Null(unpinned.ActualSha256);

        var corrupt = Path.Combine(_dir, "bad.gz");
        File.WriteAllBytes(corrupt, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]);
        var bad = DataSetVerifier.Check(new DataSetFile("bad.gz", Sha256(content)), corrupt);
        Assert.False(bad.Ok);
        Assert.Equal("corrupt gzip stream", bad.ActualSha256);
    }

    private sealed class FakeServer(Func<Uri, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(respond(request.RequestUri!));
        }
    }

    private static KnownDataSet OneFile(byte[] content) => new()
    {
        Name = "tiny", Description = "one file", FolderName = "tiny",
        Files = [new DataSetFile("data.txt", Convert.ToHexStringLower(SHA256.HashData(content)))],
    };

    [Fact]
    public async Task TheDownloaderKeepsAFileOnlyWhenItsHashMatches()
    {
        var content = Encoding.ASCII.GetBytes("hello data");
        var server = new FakeServer(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) });
        var folder = Path.Combine(_dir, "tiny");
        var written = await new DataSetDownloader(new HttpClient(server)).FetchAsync(OneFile(content), folder, "https://example.test/sets");
        Assert.Equal(new[] { Path.Combine(folder, "data.txt") }, written);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(folder, "data.txt")));
        Assert.Equal(new Uri("https://example.test/sets/data.txt"), Assert.Single(server.Requests));

        // Present and valid: not fetched again.
        var again = await new DataSetDownloader(new HttpClient(server)).FetchAsync(OneFile(content), folder, "https://example.test/sets/");
        Assert.Empty(again);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ADownloadWithTheWrongContentsLeavesNothingBehind()
    {
        var server = new FakeServer(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.ASCII.GetBytes("tampered")) });
        var folder = Path.Combine(_dir, "tiny");
        var e = await Assert.ThrowsAsync<DataSetException>(() =>
            new DataSetDownloader(new HttpClient(server)).FetchAsync(OneFile(Encoding.ASCII.GetBytes("hello data")), folder, "https://example.test/"));
        Assert.Contains("do not match", e.Message);
        Assert.False(Directory.Exists(folder));   // the folder the fetch created goes with the rejected file
    }

    [Fact]
    public async Task AnHttpErrorOrAMissingAddressIsADataSetError()
    {
        var server = new FakeServer(_ => new HttpResponseMessage(HttpStatusCode.NotFound));
        var folder = Path.Combine(_dir, "tiny");
        var e = await Assert.ThrowsAsync<DataSetException>(() =>
            new DataSetDownloader(new HttpClient(server)).FetchAsync(OneFile([1]), folder, "https://example.test/"));
        Assert.Contains("HTTP 404", e.Message);
        Assert.False(Directory.Exists(folder));
        var noUrl = await Assert.ThrowsAsync<DataSetException>(() =>
            new DataSetDownloader(new HttpClient(server)).FetchAsync(OneFile([1]), folder));
        Assert.Contains("no download address", noUrl.Message);
    }
}

/// <summary>Where DataSetLocator looks: an explicit folder only; else DLBOOK_DATA, ./data, then shared/data beside every folder upwards.</summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class DataSetLocatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-locator-").FullName;
    private readonly string? _savedEnv = Environment.GetEnvironmentVariable("DLBOOK_DATA");
    private readonly string _savedCwd = Directory.GetCurrentDirectory();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("DLBOOK_DATA", _savedEnv);
        Directory.SetCurrentDirectory(_savedCwd);
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A folder holding (empty) files of every name MNIST needs.</summary>
    private string FakeMnist(params string[] parts)
    {
        var folder = Path.Combine([_dir, .. parts]);
        Directory.CreateDirectory(folder);
        foreach (var f in DataSetRegistry.Mnist.Files) File.WriteAllBytes(Path.Combine(folder, f.FileName), []);
        return folder;
    }

    [Fact]
    public void AnExplicitFolderIsTheOnlyPlaceSearched()
    {
        Environment.SetEnvironmentVariable("DLBOOK_DATA", SharedData.Root);
        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        var none = DataSetLocator.Locate(DataSetRegistry.Mnist, empty);
        Assert.False(none.Found);
        Assert.Equal(new[] { empty, Path.Combine(empty, "mnist") }, none.Searched);
        var e = Assert.Throws<DataSetException>(() => none.PathOf("train-images-idx3-ubyte.gz"));
        Assert.Contains(empty, e.Message);
        Assert.Contains("--data-dir", e.Message);

        // A root holding the data set folder, or the data set folder itself.
        var root = Path.Combine(_dir, "root");
        var mnist = FakeMnist("root", "mnist");
        Assert.Equal(mnist, DataSetLocator.Locate(DataSetRegistry.Mnist, root).Folder);
        Assert.Equal(mnist, DataSetLocator.Locate(DataSetRegistry.Mnist, mnist).Folder);
        Assert.Equal(Path.Combine(mnist, "t10k-labels-idx1-ubyte.gz"), DataSetLocator.Locate(DataSetRegistry.Mnist, root).PathOf("t10k-labels-idx1-ubyte.gz"));
    }

    [Fact]
    public void AFolderMissingOneFileDoesNotCount()
    {
        var mnist = FakeMnist("partial", "mnist");
        File.Delete(Path.Combine(mnist, "t10k-labels-idx1-ubyte.gz"));
        Assert.False(DataSetLocator.Locate(DataSetRegistry.Mnist, Path.Combine(_dir, "partial")).Found);
    }

    [Fact]
    public void DlbookDataComesFirstThenDataThenSharedDataUpwards()
    {
        var repo = Path.Combine(_dir, "work", "repo");
        Directory.CreateDirectory(Path.Combine(repo, "src"));
        var beside = FakeMnist("work", "shared", "data", "mnist");
        var local = FakeMnist("work", "repo", "src", "data", "mnist");
        var env = FakeMnist("env", "mnist");
        Directory.SetCurrentDirectory(Path.Combine(repo, "src"));
        Environment.SetEnvironmentVariable("DLBOOK_DATA", Path.Combine(_dir, "env"));

        var roots = DataSetLocator.Roots();
        Assert.Equal(Path.Combine(_dir, "env"), roots[0]);
        Assert.Equal(Path.Combine(repo, "src", "data"), roots[1]);
        Assert.Equal(Path.Combine(repo, "src", "shared", "data"), roots[2]);
        Assert.Equal(Path.Combine(repo, "shared", "data"), roots[3]);
        Assert.Equal(Path.Combine(_dir, "work", "shared", "data"), roots[4]);
        Assert.Equal(Path.Combine(_dir, "x"), DataSetLocator.Roots(Path.Combine(_dir, "x"))[0]);

        Assert.Equal(env, DataSetLocator.Locate(DataSetRegistry.Mnist).Folder);
        Environment.SetEnvironmentVariable("DLBOOK_DATA", null);
        Assert.Equal(local, DataSetLocator.Locate(DataSetRegistry.Mnist).Folder);
        Directory.Delete(Path.Combine(repo, "src", "data"), recursive: true);
        Assert.Equal(beside, DataSetLocator.Locate(DataSetRegistry.Mnist).Folder);
        // A DLBOOK_DATA that lacks the data set falls through to the next places.
        Environment.SetEnvironmentVariable("DLBOOK_DATA", Path.Combine(_dir, "nothing-here"));
        Assert.Equal(beside, DataSetLocator.Locate(DataSetRegistry.Mnist).Folder);
        Assert.Contains(Path.Combine(_dir, "nothing-here", "mnist"), DataSetLocator.Locate(DataSetRegistry.Mnist).Searched);
    }
}

using System.Text.Json.Nodes;
using DlBook.Cli.Tests.Support;
using DlBook.TestSupport;

namespace DlBook.Cli.Tests.Commands;

public sealed class DataCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-data-").FullName;

    private static readonly string[] MnistFiles =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void VerifyAcceptsTheSharedMnistFiles()
    {
        var r = CliRunner.Run("data", "verify", "mnist", "--json", "--data-dir", SharedData.Root);
        Assert.Equal(0, r.ExitCode);
        var doc = JsonNode.Parse(r.Out)!;
        Assert.True(doc["ok"]!.GetValue<bool>());
        Assert.Equal(4, doc["files"]!.AsArray().Count);
        Assert.Equal("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", doc["files"]![0]!["actualSha256"]!.GetValue<string>());
    }

    [Fact]
    public void VerifyOfFilesWithoutAPinnedHashSaysPresentNotVerifiedRatherThanVerified()
    {
        var r = CliRunner.Run("data", "verify", "sms-spam", "--data-dir", SharedData.Root);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("SMSSpamCollection: present, not verified (no pinned hash)", r.Out + r.Error);
        Assert.Contains("none verified", r.Out + r.Error);
        Assert.DoesNotContain("files verified", r.Out + r.Error);
        var json = JsonNode.Parse(CliRunner.Run("data", "verify", "sms-spam", "--json", "--data-dir", SharedData.Root).Out)!;
        Assert.False(json["files"]![0]!["verified"]!.GetValue<bool>());
        Assert.True(JsonNode.Parse(CliRunner.Run("data", "verify", "mnist", "--json", "--data-dir", SharedData.Root).Out)!["files"]![0]!["verified"]!.GetValue<bool>());
    }

    [Fact]
    public void FetchDownloadsFromAUrlAndVerifiesTheHashes()
    {
        using var server = new LocalFileServer(MnistFiles.ToDictionary(f => "mnist/" + f, SharedData.Mnist));
        var into = Path.Combine(_dir, "mnist");
        var r = CliRunner.Run("data", "fetch", "mnist", "--url", server.BaseUrl + "mnist/", "--into", into, "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        foreach (var f in MnistFiles)
            Assert.Equal(new FileInfo(SharedData.Mnist(f)).Length, new FileInfo(Path.Combine(into, f)).Length);
        Assert.Empty(Directory.GetFiles(into, "*.part"));

        // A second fetch finds valid files and downloads nothing.
        int before = server.Requests;
        Assert.Equal(0, CliRunner.Run("data", "fetch", "mnist", "--url", server.BaseUrl + "mnist/", "--into", into, "--quiet").ExitCode);
        Assert.Equal(before, server.Requests);
        Assert.Equal(0, CliRunner.Run("data", "verify", "mnist", "--data-dir", into).ExitCode);
    }

    [Fact]
    public void FetchRejectsAFileWhoseContentDoesNotMatchAndKeepsNothing()
    {
        // The server swaps the test labels for the training labels: same format, wrong content.
        var files = MnistFiles.ToDictionary(f => "m/" + f, SharedData.Mnist);
        files["m/t10k-labels-idx1-ubyte.gz"] = SharedData.Mnist("train-labels-idx1-ubyte.gz");
        using var server = new LocalFileServer(files);
        var into = Path.Combine(_dir, "bad");
        var r = CliRunner.Run("data", "fetch", "mnist", "--url", server.BaseUrl + "m/", "--into", into);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("t10k-labels-idx1-ubyte.gz", r.Error);
        Assert.Contains("SHA-256", r.Error);
        Assert.False(File.Exists(Path.Combine(into, "t10k-labels-idx1-ubyte.gz")));
        Assert.Empty(Directory.GetFiles(into, "*.part"));
    }

    [Fact]
    public void FetchReportsAMissingFileOnTheServer()
    {
        using var server = new LocalFileServer(new Dictionary<string, string>());
        var r = CliRunner.Run("data", "fetch", "mnist", "--url", server.BaseUrl, "--into", Path.Combine(_dir, "none"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("HTTP 404", r.Error);
        Assert.False(Directory.Exists(Path.Combine(_dir, "none")));   // the folder the fetch made is gone again
    }

    [Fact]
    public void FetchOfADataSetAlreadyPresentAndVerifiedDownloadsNothingAndCreatesNoFolder()
    {
        using var server = new LocalFileServer(MnistFiles.ToDictionary(f => "mnist/" + f, SharedData.Mnist));
        var r = CliRunner.Run("data", "fetch", "mnist", "--url", server.BaseUrl + "mnist/", "--data-dir", SharedData.Root);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(0, server.Requests);
        Assert.Contains("already present and verified", r.Out + r.Error);
        Assert.Contains(Path.Combine(SharedData.Root, "mnist"), r.Out + r.Error);
    }

    [Fact]
    public void FetchFromAFileUrlCopiesAndVerifiesTheFiles()
    {
        var into = Path.Combine(_dir, "copied");
        var r = CliRunner.Run("data", "fetch", "mnist", "--url", new Uri(Path.Combine(SharedData.Root, "mnist") + "/").AbsoluteUri, "--into", into, "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(0, CliRunner.Run("data", "verify", "mnist", "--data-dir", into).ExitCode);
    }

    [Theory]
    [InlineData("ftp://mirror.example/mnist/", "'ftp' scheme")]
    [InlineData("mnist-files", "not an absolute URL")]
    public void FetchWithAnUnsupportedUrlIsABadInputNamingTheFlagAndLeavesNoFolder(string url, string says)
    {
        var into = Path.Combine(_dir, "never");
        var r = CliRunner.Run("data", "fetch", "mnist", "--url", url, "--into", into);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--url", r.Error);
        Assert.Contains(says, r.Error);
        Assert.False(Directory.Exists(into));
    }

    [Theory]
    [InlineData("http://no-such-host.invalid/mnist/")]    // the name does not resolve
    [InlineData("http://127.0.0.1:9/mnist/")]              // nothing listens (discard port)
    public void AnUnreachableServerIsAnEnvironmentFailureAndLeavesNoEmptyFolder(string url)
    {
        var into = Path.Combine(_dir, "unreachable", "mnist");
        var r = CliRunner.Run("data", "fetch", "mnist", "--url", url, "--into", into);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("unreachable", r.Error);
        Assert.False(Directory.Exists(into));
    }

    [Fact]
    public void AFailedFetchIntoAFolderThatExistedKeepsTheFolder()
    {
        var into = Directory.CreateDirectory(Path.Combine(_dir, "mine")).FullName;
        using var server = new LocalFileServer(new Dictionary<string, string>());
        Assert.Equal(2, CliRunner.Run("data", "fetch", "mnist", "--url", server.BaseUrl, "--into", into).ExitCode);
        Assert.True(Directory.Exists(into));
    }

    [Fact]
    public void VerifyOfAMissingDataSetSaysWhereItLookedAndHowToFetch()
    {
        var r = CliRunner.Run("data", "verify", "mnist", "--data-dir", _dir);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("dlbook data fetch mnist", r.Error);
        Assert.Contains(_dir, r.Error);
    }

    [Fact]
    public void UnknownDataSetIsABadInputWithTheKnownNames()
    {
        var r = CliRunner.Run("data", "verify", "cifar");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("mnist", r.Error);
    }
}

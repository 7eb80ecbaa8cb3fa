using System.Globalization;
using System.Text.RegularExpressions;
using DlBook.TestSupport;

namespace DlBook.Export.Tests.Readme;

/// <summary>
/// The README's quick start as written: the C# block under "Quick start" is cut out of README.md, compiled as a console
/// app against the library (no environment variable set) and run from the repository root. If an API it shows is
/// renamed or behaves otherwise, this fails and the README must change with it.
/// </summary>
public sealed class ReadmeQuickStartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-readme-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheQuickStartCompilesRunsAndPrintsWhatTheReadmeSays()
    {
        var readme = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "README.md"));
        var section = readme[readme.IndexOf("## Quick start", StringComparison.Ordinal)..];
        var code = Regex.Match(section, "```csharp\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("new MLContext(seed: 1)", code);
        var dll = ChildApp.Build(code, _dir);
        var (exit, output) = ChildApp.Exec(dll, SharedData.RepoRoot);
        Assert.True(exit == 0, output);
        var accuracy = double.Parse(Regex.Match(output, @"test accuracy ([\d.]+) %").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(accuracy, 95.5, 97.5);                        // the book: 96.5 % or so after 30 epochs
        Assert.Equal(2, Regex.Matches(output, "at init").Count);    // dense1 (hidden) and dense2 (output)
        Assert.Contains($"reloaded: {accuracy.ToString("F2", CultureInfo.InvariantCulture)} %", output);
        Assert.Contains("ONNX Runtime agrees on 10,000 of 10,000 test images", output);
        foreach (var f in new[] { "mnist.zip", "mnist.onnx" }) File.Delete(Path.Combine(SharedData.RepoRoot, f));
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using DlBook.TestSupport;
using Xunit.Abstractions;

namespace DlBook.Cli.Tests.Fuzz;

/// <summary>
/// The CI-sized run of the fuzzing harness (tests/Fuzz): a fixed seed, mutated IDX, CSV/TSV, JPEG/PNG, model zip and
/// ONNX files through the CLI and the library, in its own process so its peak memory (VmHWM) is its own. Every case
/// ends accepted with sane output or rejected with exit 2 naming the file; none hangs, none passes 2 GiB.
/// </summary>
public sealed class FuzzHarnessTests(ITestOutputHelper output)
{
    [Fact]
    public void AFixedSeedRunOfMutatedFilesEndsEveryCaseInExitTwoNamingTheFileOrInASaneResult()
    {
        var work = Directory.CreateTempSubdirectory("dlbook-fuzz-ci-").FullName;
        try
        {
            var json = Path.Combine(work, "summary.json");
            var (code, log) = Run(["--seed", "1", "--cases-per-format", "250", "--time-limit", "75", "--case-timeout", "20",
                "--max-rss-mib", "2048", "--json", json, "--work", work]);
            Assert.True(File.Exists(json), $"the harness wrote no summary (exit {code}; a native crash leaves current-case.txt):\n{Tail(log)}");
            var summary = JsonNode.Parse(File.ReadAllText(json))!;
            output.WriteLine(summary.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            Assert.Equal(0, (int)summary["failureCount"]!);
            Assert.Equal(0, code);
            Assert.True((long)summary["peakRssMiB"]! < 2048);
            foreach (var (format, stats) in summary["formats"]!.AsObject())
                // A floor low enough for a loaded 2-core CI machine (one run under load reached 29 a format in 60 s).
                Assert.True((int)stats!["cases"]! >= 15, $"{format}: only {stats["cases"]} cases in the time limit");
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    private static (int Code, string Log) Run(string[] args)
    {
        var bin = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        var configuration = Path.GetFileName(Path.GetDirectoryName(bin)!);   // …/bin/<configuration>/net10.0
        var dll = Path.Combine(SharedData.RepoRoot, "tests", "Fuzz", "bin", configuration, "net10.0", "DlBook.Fuzz.dll");
        Assert.True(File.Exists(dll), $"the harness is not built: {dll}");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[dll, .. args]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(180)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("the harness ran past 180 s");
        }
        return (p.ExitCode, stderr.Result + stdout.Result);
    }

    private static string Tail(string s) => s.Length <= 4000 ? s : s[^4000..];
}

using System.Globalization;

namespace DlBook.Fuzz;

/// <summary>The harness's arguments.</summary>
public sealed record FuzzOptions
{
    public int Seed { get; init; } = 1;
    public int CasesPerFormat { get; init; } = 200;
    /// <summary>No case starts after this many seconds from the start (seeds included).</summary>
    public double TimeLimitSeconds { get; init; } = 60;
    public double CaseTimeoutSeconds { get; init; } = 20;
    /// <summary>Peak resident memory (VmHWM) above which the run fails.</summary>
    public long MaxRssMiB { get; init; } = 2048;
    public string? JsonPath { get; init; }
    public string WorkDir { get; init; } = Path.Combine(Path.GetTempPath(), "dlbook-fuzz");
    public string? DataDir { get; init; }
    /// <summary>Only these formats (all when empty).</summary>
    public string[] Formats { get; init; } = [];
    /// <summary>Only this case index (to reproduce one failure).</summary>
    public int? Case { get; init; }
    /// <summary>Keep every case's file, not only the failing ones.</summary>
    public bool KeepAll { get; init; }

    public const string Usage =
        "DlBook.Fuzz [--seed 1] [--cases-per-format 200] [--time-limit 60] [--case-timeout 20] [--max-rss-mib 2048] " +
        "[--json summary.json] [--work DIR] [--data-dir ../shared/data] [--formats idx,csv,...] [--case N] [--keep-all]";

    public static FuzzOptions Parse(string[] args)
    {
        var o = new FuzzOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. Usage: {Usage}");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--seed" => o with { Seed = Int() },
                "--cases-per-format" => o with { CasesPerFormat = Int() },
                "--time-limit" => o with { TimeLimitSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--case-timeout" => o with { CaseTimeoutSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--max-rss-mib" => o with { MaxRssMiB = Int() },
                "--json" => o with { JsonPath = Next() },
                "--work" => o with { WorkDir = Next() },
                "--data-dir" => o with { DataDir = Next() },
                "--formats" or "--format" => o with { Formats = Next().Split(',', StringSplitOptions.RemoveEmptyEntries) },
                "--case" => o with { Case = Int() },
                "--keep-all" => o with { KeepAll = true },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: {Usage}"),
            };
        }
        return o;
    }
}

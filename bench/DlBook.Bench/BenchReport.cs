using System.Text.Json;

namespace DlBook.Bench;

/// <summary>Rows measured by the workloads, printed as a markdown table and written as JSON.</summary>
public sealed class BenchReport
{
    private readonly List<BenchRow> rows = [];

    /// <summary>Adds a row from per-call times: rate = itemsPerCall / seconds, reported as median/min/max.</summary>
    public BenchRow Add(string workload, string unit, double itemsPerCall, double[] secondsPerCall)
    {
        var rates = secondsPerCall.Select(s => itemsPerCall / s).Order().ToArray();
        var times = secondsPerCall.Order().ToArray();
        var row = new BenchRow(workload, unit, rates[rates.Length / 2], rates[0], rates[^1], times[times.Length / 2] * 1e6, rates.Length);
        rows.Add(row);
        Console.Error.WriteLine($"  {row.Workload}: {row.Median:F1} {row.Unit} (median), {row.MedianMicroseconds:F2} µs/call");
        return row;
    }

    /// <summary>Prints the rows as a markdown table.</summary>
    public void PrintMarkdown(TextWriter w)
    {
        w.WriteLine($"\n### DlBook.Engine, .NET {Environment.Version}, {Environment.ProcessorCount} cores, load {LoadAverage()}\n");
        w.WriteLine("| workload | unit | median | min | max | µs/call (median) |");
        w.WriteLine("|---|---|---|---|---|---|");
        foreach (var r in rows)
            w.WriteLine($"| {r.Workload} | {r.Unit} | {r.Median:F1} | {r.Min:F1} | {r.Max:F1} | {r.MedianMicroseconds:F2} |");
    }

    /// <summary>Writes the rows and the environment as JSON.</summary>
    public void WriteJson(string path)
    {
        var doc = new
        {
            engine = "DlBook.Engine",
            dotnet = Environment.Version.ToString(),
            cores = Environment.ProcessorCount,
            load = LoadAverage(),
            results = rows,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

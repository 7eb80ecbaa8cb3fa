namespace DlBook.Bench;

/// <summary>Command-line options shared by every workload.</summary>
public sealed record BenchOptions
{
    /// <summary>Where to write the JSON results (none when null).</summary>
    public string? JsonPath { get; init; }

    /// <summary>Timed repeats per measurement (median, min and max are reported).</summary>
    public int Repeats { get; init; } = 7;

    /// <summary>Threads for multi-threaded kernels.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seconds one repeat should take (the iteration count is calibrated to it).</summary>
    public double TargetSeconds { get; init; } = 0.4;

    /// <summary>Parses <c>--json FILE --repeats N --threads N --target S --quick</c>.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option {args[i]} needs a value");
            o = args[i] switch
            {
                "--json" => o with { JsonPath = Next() },
                "--repeats" => o with { Repeats = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--threads" => o with { Threads = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--target" => o with { TargetSeconds = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--quick" => o with { Repeats = 3, TargetSeconds = 0.1 },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }

        return o;
    }
}

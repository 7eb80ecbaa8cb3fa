namespace DlBook.Bench;

/// <summary>Benchmark entry point.</summary>
public static class Program
{
    /// <summary>Runs the selected benchmarks.</summary>
    public static int Main(string[] args) => 0;
}

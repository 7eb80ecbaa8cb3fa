using System.Diagnostics;

namespace DlBook.Bench;

/// <summary>Plain Stopwatch harness: warm up, calibrate the iteration count to a target time, time several repeats.</summary>
public static class Timing
{
    /// <summary>Seconds per call of each timed repeat (one entry per repeat).</summary>
    public static double[] SecondsPerCall(Action call, BenchOptions options)
    {
        // Warm-up long enough for tiered JIT to reach the optimised code and for caches/threads to settle.
        var warm = Stopwatch.StartNew();
        int calls = 0;
        while (warm.Elapsed.TotalSeconds < Math.Max(0.1, options.TargetSeconds / 2) || calls < 3)
        {
            call();
            calls++;
        }

        double perCall = warm.Elapsed.TotalSeconds / calls;
        int iterations = Math.Max(1, (int)(options.TargetSeconds / perCall));
        var result = new double[options.Repeats];
        for (int r = 0; r < result.Length; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < iterations; i++)
                call();
            result[r] = sw.Elapsed.TotalSeconds / iterations;
            if (Environment.GetEnvironmentVariable("DLBOOK_BENCH_TRACE") is not null) Console.Error.WriteLine($"    repeat {r}: {result[r] * 1e3:F3} ms/call");
        }

        return result;
    }
}

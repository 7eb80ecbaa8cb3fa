using System.Diagnostics;

namespace DlBook.Bench;

/// <summary>Plain Stopwatch harness: warm up, calibrate the iteration count to a target time, time several repeats.</summary>
public static class Timing
{
    /// <summary>Seconds per call of each timed repeat (one entry per repeat).</summary>
    public static double[] SecondsPerCall(Action call, BenchOptions options)
    {
        // Warm-up long enough for tiered JIT to reach the optimised code and for caches/threads to settle: .NET
        // promotes a method after 30 calls and a quiet spell, so a workload's first calls run unoptimised (the first
        // workload of a run, LSTM training, read 900 seq/s after a 0.2 s warm-up and 3,300 in steady state). Warm up
        // for at least 60 calls and 1.5 s (at most 20 s), then calibrate on the last, warm calls.
        var warm = Stopwatch.StartNew();
        int calls = 0;
        while ((warm.Elapsed.TotalSeconds < Math.Max(1.5, options.TargetSeconds) || calls < 60) && warm.Elapsed.TotalSeconds < 20)
        {
            call();
            calls++;
        }

        var calibrate = Stopwatch.StartNew();
        int calibrationCalls = 0;
        while (calibrate.Elapsed.TotalSeconds < Math.Max(0.1, options.TargetSeconds / 4) || calibrationCalls < 3)
        {
            call();
            calibrationCalls++;
        }

        double perCall = calibrate.Elapsed.TotalSeconds / calibrationCalls;
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

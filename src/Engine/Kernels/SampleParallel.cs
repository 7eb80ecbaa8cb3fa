using System.Runtime.InteropServices;

namespace DlBook.Engine.Kernels;

/// <summary>Work split into parts that write disjoint outputs (samples, channels, chunks of a batch).</summary>
internal interface IPartitionedWork
{
    /// <summary>Runs part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    void RunPart(int part, int parts);
}

/// <summary>
/// Runs a layer's per-sample work on the GEMM's persistent threads (<see cref="GemmThreads"/>), one part per
/// thread, with the GEMMs inside each part single-threaded (the workers are busy with the parts). Parts write
/// disjoint outputs and every output is computed by the same arithmetic whichever part holds it, so the bits do
/// not depend on the thread count. Part 0 runs on the calling thread, also with single-threaded GEMMs: the gate of
/// <see cref="GemmThreads"/> is re-entrant there, so a nested GEMM would hand work to workers that are busy. Only a
/// single part (small work) leaves the GEMM free to use its own threads.
/// </summary>
internal static unsafe class SampleParallel
{
    /// <summary>Below this much work (multiply-adds or element passes) a second thread's wake-up costs more than it saves.</summary>
    public const long ThreadWork = 1L << 18;

    private struct State
    {
        public nint Work;
        public int Parts;
    }

    /// <summary>Threads worth using for <paramref name="items"/> independent items of <paramref name="work"/> in total.</summary>
    public static int Parts(int items, long work)
    {
        int max = Gemm.ForceThreads > 0 ? Gemm.ForceThreads : Gemm.MaxThreads;
        if (work < ThreadWork) return 1;
        return Math.Max(1, Math.Min(max, items));
    }

    /// <summary>Runs every part of <paramref name="work"/>, in parallel when <paramref name="parts"/> &gt; 1 and the workers are free.</summary>
    public static void Run(IPartitionedWork work, int parts)
    {
        if (parts <= 1)
        {
            work.RunPart(0, 1);
            return;
        }
        var handle = GCHandle.Alloc(work);
        try
        {
            var state = new State { Work = GCHandle.ToIntPtr(handle), Parts = parts };
            if (GemmThreads.TryRun(parts, &Body, &state)) return;
        }
        finally
        {
            handle.Free();
        }
        // Another caller holds the workers: the same parts, one after another.
        for (int p = 0; p < parts; p++) RunSingleThreadedGemm(work, p, parts);
    }

    private static void Body(int part, void* state)
    {
        var s = (State*)state;
        var work = (IPartitionedWork)GCHandle.FromIntPtr(s->Work).Target!;
        RunSingleThreadedGemm(work, part, s->Parts);
    }

    // Inside a part the workers are taken; a nested GEMM must not try to hand them work.
    private static void RunSingleThreadedGemm(IPartitionedWork work, int part, int parts)
    {
        int saved = Gemm.ForceThreads;
        Gemm.ForceThreads = 1;
        try
        {
            work.RunPart(part, parts);
        }
        finally
        {
            Gemm.ForceThreads = saved;
        }
    }
}

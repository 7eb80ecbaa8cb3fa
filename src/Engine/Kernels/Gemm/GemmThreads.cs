using System.Runtime.ExceptionServices;

namespace DlBook.Engine.Kernels;

/// <summary>
/// Persistent worker threads for the GEMM: started once, parked on an event between calls, so a call
/// costs a wake-up rather than a task scheduling. One caller at a time; a concurrent caller runs alone.
/// </summary>
internal static unsafe class GemmThreads
{
    private static readonly Lock Gate = new();
    private static Worker[] workers = [];

    /// <summary>
    /// Runs body(i, state) for i in [0, count), part 0 on the calling thread. Returns false without running
    /// anything when another call holds the workers (the caller then runs single-threaded).
    /// </summary>
    public static bool TryRun(int count, delegate*<int, void*, void> body, void* state)
    {
        if (!Gate.TryEnter())
            return false;
        try
        {
            if (workers.Length < count - 1)
            {
                var grown = new Worker[count - 1];
                Array.Copy(workers, grown, workers.Length);
                for (int i = workers.Length; i < grown.Length; i++)
                    grown[i] = new Worker();
                workers = grown;
            }

            for (int i = 1; i < count; i++)
                workers[i - 1].Start(body, state, i);

            Exception? error = null;
            try
            {
                body(0, state);
            }
            catch (Exception e)
            {
                error = e;
            }

            for (int i = 1; i < count; i++)
                error ??= workers[i - 1].Wait();
            if (error is not null)
                ExceptionDispatchInfo.Throw(error);
            return true;
        }
        finally
        {
            Gate.Exit();
        }
    }

    private sealed class Worker
    {
        private readonly ManualResetEventSlim start = new(false, 200);
        private readonly ManualResetEventSlim done = new(false, 200);
        private delegate*<int, void*, void> body;
        private void* state;
        private int index;
        private Exception? error;

        public Worker()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "DlBook GEMM worker" };
            thread.Start();
        }

        public void Start(delegate*<int, void*, void> work, void* workState, int workIndex)
        {
            body = work;
            state = workState;
            index = workIndex;
            error = null;
            done.Reset();
            start.Set();
        }

        public Exception? Wait()
        {
            done.Wait();
            return error;
        }

        private void Loop()
        {
            while (true)
            {
                start.Wait();
                start.Reset();
                try
                {
                    body(index, state);
                }
                catch (Exception e)
                {
                    error = e;
                }

                done.Set();
            }
        }
    }
}

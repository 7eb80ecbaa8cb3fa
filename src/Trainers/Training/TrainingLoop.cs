using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using System.Text.Json;
using DlBook.Pipelines.Bridge;

namespace DlBook.Trainers.Training;

/// <summary>
/// The one training loop of every trainer: per epoch a seeded shuffle, mini-batches, forward, loss,
/// backward, L2, clipping, optimiser step, then the epoch's callbacks; the schedule sets η per epoch.
/// It knows nothing of MLPs: the network, the loss and the batch adapter come from the trainer.
/// </summary>
public static class TrainingLoop
{
    /// <summary>Trains <see cref="TrainingSetup.Network"/> in place and returns the history.</summary>
    public static TrainingHistory Run(TrainingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (setup.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(setup), $"Epochs must be at least 1 (got {setup.Epochs}).");
        if (setup.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(setup), $"BatchSize must be at least 1 (got {setup.BatchSize}).");

        var net = setup.Network;
        var adapter = setup.Adapter;
        var parameters = net.Parameters;
        int bs = setup.BatchSize;
        var x = new Tensor([bs, .. adapter.InputShape]);
        var y = new Tensor(bs, adapter.TargetSize);
        var dz = new Tensor(bs, adapter.TargetSize);
        var history = new TrainingHistory();
        var state = new TrainingState(net, setup.Loss, adapter, setup.Epochs, setup.Data.Rows, history, setup.Log,
            setup.Source, setup.Cancellation);
        var callbacks = setup.Callbacks;

        // Its own stream, so turning augmentation on changes nothing else (shuffling, dropout, initialisation).
        var augmentRng = setup.Augmentation is { IsActive: true } ? new Engine.Random.Rng(setup.Seed ^ 0xA06E_47A7_10B5_EED5UL) : null;
        ulong seed = setup.Seed;
        int firstEpoch = 0;
        bool finished = false;
        if (setup.Resume) (seed, firstEpoch, finished) = ResumeFrom(setup, state, augmentRng);
        else foreach (var cb in callbacks) cb.OnTrainingStart(state);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool outOfTime = false;
        for (int epoch = firstEpoch; !finished && epoch < setup.Epochs; epoch++)
        {
            setup.ThrowIfCanceled();
            float lr = setup.Schedule?.Rate(setup.LearningRate, epoch, setup.Epochs) ?? setup.LearningRate;
            state.Epoch = epoch + 1;
            state.Step = 0;
            state.SamplesDone = 0;
            state.LossSum = 0;
            state.Correct = 0;
            state.LearningRate = lr;
            state.CurrentEpoch = null;
            state.EpochClock.Restart();
            int chunkIndex = 0;
            foreach (var (table, _) in setup.Data.Chunks())
            {
                // The engine permutes row indices itself (seeded per epoch, and per chunk when streaming).
                int[]? order = setup.Shuffle ? Permutation(table.Rows, chunkIndex == 0 ? EpochSeed(seed, epoch) : EpochSeed(seed ^ (ulong)chunkIndex, epoch)) : null;
                chunkIndex++;
                for (int start = 0; start < table.Rows; start += bs)
                {
                    int count = Math.Min(bs, table.Rows - start);
                    if (x.Rows != count)
                    {
                        x.ResizeRows(count);
                        y.ResizeRows(count);
                        dz.ResizeRows(count);
                    }
                    adapter.Fill(table, order, start, count, x, y);
                    if (augmentRng is not null) setup.Augmentation!.Apply(x, augmentRng);
                    var logits = net.Forward(x, training: true);
                    float loss = setup.Loss.Compute(logits, y, dz);
                    state.Step++;
                    if (!float.IsFinite(loss)) throw new TrainingDivergedException(state.Epoch, state.Step, loss, lr);
                    state.Correct += adapter.CountCorrect(logits, y);
                    net.Backward(dz);
                    if (setup.L2PerSample > 0) L2Regularization.AddToGradients(parameters, setup.L2PerSample);
                    if (setup.ClipNorm is float norm) GradientClipping.ByGlobalNorm(parameters, norm);
                    if (setup.ClipValue is float value) GradientClipping.ByValue(parameters, value);
                    setup.Optimizer.Step(parameters, lr);
                    state.SamplesDone += count;
                    state.LossSum += (double)loss * count;
                    for (int i = 0; i < callbacks.Count; i++) callbacks[i].OnBatchEnd(state);
                    setup.ThrowIfCanceled();
                    if (setup.TimeLimit is { } limit && clock.Elapsed >= limit) { outOfTime = true; break; }
                }
                if (outOfTime) break;
            }
            state.EpochClock.Stop();
            if (state.SamplesDone == 0)
                throw new InvalidDataException("The training data produced no rows. Check the data view (file, split, filters).");
            var record = new EpochRecord
            {
                Epoch = state.Epoch,
                TrainLoss = state.RunningLoss,
                TrainAccuracy = state.RunningAccuracy,
                LearningRate = lr,
                Seconds = state.EpochClock.Elapsed.TotalSeconds,
                Samples = state.SamplesDone,
            };
            state.CurrentEpoch = record;
            history.Add(record);
            if (outOfTime) state.RequestStop($"the time limit of {setup.TimeLimit!.Value.TotalMinutes:0.##} min was reached after {state.SamplesDone:N0} samples of epoch {state.Epoch}");
            foreach (var cb in callbacks) cb.OnEpochEnd(state);
            if (state.StopRequested) history.StoppedEarly = outOfTime || epoch < setup.Epochs - 1;
            if (setup.StatePath is { } statePath)
                TrainingCheckpoint.Write(statePath, setup, state, seed, finished: state.StopRequested || epoch == setup.Epochs - 1, augmentRng);
            if (state.StopRequested)
            {
                state.Log(LogLevel.Info, $"Stopped after epoch {state.Epoch}: {state.StopReason}");
                break;
            }
        }
        foreach (var cb in callbacks) cb.OnTrainingEnd(state);
        return history;
    }

    // Restores the saved state into the network, optimiser, generators, callbacks and history; returns the run's seed,
    // the epochs already done and whether the saved run had ended (then only the end-of-training callbacks run).
    private static (ulong Seed, int EpochsDone, bool Finished) ResumeFrom(TrainingSetup setup, TrainingState state, Rng? augmentRng)
    {
        var path = setup.StatePath ?? throw new ArgumentException("Resume needs StatePath: the training-state file to continue from.", nameof(setup));
        if (!File.Exists(path))
            throw new FileNotFoundException($"Cannot resume: there is no training state at '{path}'. It is written after every epoch of a run with a checkpoint; start without resuming.", path);
        using var r = new BinaryReader(new MemoryStream(File.ReadAllBytes(path)), System.Text.Encoding.UTF8);
        try
        {
            var header = TrainingCheckpoint.ReadHeader(r, path, setup.Fingerprint);
            if (header.EpochsDone < 1 || header.EpochsDone > setup.Epochs)
                throw new TrainingStateException(path, $"it records {header.EpochsDone} epochs done of this run's {setup.Epochs}. Delete it to start over.");
            TrainingCheckpoint.Restore(r, path, setup, state, augmentRng);
            state.Epoch = header.EpochsDone;
            state.CurrentEpoch = state.History.Last;
            state.Log(LogLevel.Info, header.Finished
                ? $"The training state in '{path}' is of a finished run ({header.EpochsDone} epochs); nothing is left to train."
                : $"Resumed from '{path}' after epoch {header.EpochsDone} of {setup.Epochs}.");
            return (header.Seed, header.EpochsDone, header.Finished);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or JsonException or ArgumentException or OverflowException)
        {
            throw new TrainingStateException(path, $"it cannot be read ({e.Message}). The file is damaged; delete it to start over.", e);
        }
    }

    /// <summary>The shuffle seed of an epoch: a fixed function of the run's seed and the epoch, so a run can be replayed.</summary>
    public static ulong EpochSeed(ulong seed, int epoch) => new Rng(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(epoch + 1))).NextUInt64();

    /// <summary>A seeded permutation of 0..n−1 (Fisher–Yates with the project's RNG, so it is the same on every machine).</summary>
    public static int[] Permutation(int n, ulong seed)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        new Rng(seed).Shuffle<int>(p);
        return p;
    }
}

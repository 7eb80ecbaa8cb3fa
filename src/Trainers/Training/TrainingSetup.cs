using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Schedules;
using DlBook.Pipelines.Bridge;
using DlBook.Trainers.Training.Adapters;

namespace DlBook.Trainers.Training;

/// <summary>Everything the one training loop needs; trainers fill it in and call <see cref="TrainingLoop.Run"/>.</summary>
public sealed class TrainingSetup
{
    /// <summary>The network to train (in place).</summary>
    public required Sequential Network { get; init; }
    /// <summary>The cost, fused with the output activation.</summary>
    public required ILoss Loss { get; init; }
    /// <summary>The optimiser.</summary>
    public required IOptimizer Optimizer { get; init; }
    /// <summary>Learning-rate schedule (per epoch); null for constant.</summary>
    public ILearningRateSchedule? Schedule { get; init; }
    /// <summary>Base learning rate η.</summary>
    public float LearningRate { get; init; } = 0.1f;
    /// <summary>L2 coefficient added to weight gradients: λ/n with n the training rows (the book's scaling); 0 for none.</summary>
    public float L2PerSample { get; init; }
    /// <summary>Clip the global gradient norm to this value (null: no clipping).</summary>
    public float? ClipNorm { get; init; }
    /// <summary>Clip each gradient element to ±this value (null: no clipping).</summary>
    public float? ClipValue { get; init; }
    /// <summary>Epochs.</summary>
    public int Epochs { get; init; } = 30;
    /// <summary>
    /// Wall-clock budget of the run (null: none). Once it is spent the loop stops at the end of the mini-batch it is in,
    /// closes that epoch as a partial one (its record counts the samples done) and runs the epoch-end callbacks, so
    /// validation still measures the final network; <see cref="TrainingHistory.StoppedEarly"/> is then true.
    /// </summary>
    public TimeSpan? TimeLimit { get; init; }
    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 10;
    /// <summary>Seed; the shuffle of each epoch is derived from it.</summary>
    public ulong Seed { get; init; }
    /// <summary>Training rows, in engine-owned memory or streamed in chunks.</summary>
    public required TrainingRows Data { get; init; }
    /// <summary>Columns → tensors.</summary>
    public required IBatchAdapter Adapter { get; init; }
    /// <summary>Callbacks, called in order.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];
    /// <summary>Where messages go (MLContext.Log through an ML.NET channel).</summary>
    public TrainingLog Log { get; init; } = TrainingLog.None;
    /// <summary>True once the run was cancelled from outside the token (MLContext.CancelExecution).</summary>
    public Func<bool>? IsCanceled { get; init; }
    /// <summary>Log source name.</summary>
    public string Source { get; init; } = "Training";
    /// <summary>Random image transformations of each training batch (null: none), seeded from <see cref="Seed"/>.</summary>
    public Engine.Augmentation.ImageAugmentation? Augmentation { get; init; }
    /// <summary>Shuffle each epoch (the book does).</summary>
    public bool Shuffle { get; init; } = true;
    /// <summary>
    /// Write the whole training state (weights, optimiser, generators, callbacks, history) to this file after every epoch,
    /// atomically, so a killed run can resume (null: none).
    /// </summary>
    public string? StatePath { get; init; }
    /// <summary>
    /// Continue from the state in <see cref="StatePath"/> with the epoch after the saved one; the result has the same bits as
    /// an uninterrupted run. The file must exist and carry this run's <see cref="Fingerprint"/>.
    /// </summary>
    public bool Resume { get; init; }
    /// <summary>What identifies the run (options, data sizes, seed); a resume with a different one is refused, naming the difference.</summary>
    public System.Text.Json.Nodes.JsonObject? Fingerprint { get; init; }
    /// <summary>Cancellation.</summary>
    public CancellationToken Cancellation { get; init; }

    internal void ThrowIfCanceled()
    {
        Cancellation.ThrowIfCancellationRequested();
        if (IsCanceled?.Invoke() == true) throw new OperationCanceledException("Training was cancelled (MLContext.CancelExecution).");
    }
}

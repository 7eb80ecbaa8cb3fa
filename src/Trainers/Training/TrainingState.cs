using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Trainers.Training.Adapters;

namespace DlBook.Trainers.Training;

/// <summary>What callbacks see of a running training: the network, the counters, the history, and a way to stop.</summary>
public sealed class TrainingState
{
    internal TrainingState(Sequential network, ILoss loss, IBatchAdapter adapter, int epochs, long? samplesPerEpoch,
        TrainingHistory history, TrainingLog log, string source, CancellationToken cancellation)
    {
        Network = network;
        Loss = loss;
        Adapter = adapter;
        Epochs = epochs;
        SamplesPerEpoch = samplesPerEpoch;
        History = history;
        LogSink = log;
        Source = source;
        Cancellation = cancellation;
    }

    /// <summary>The network being trained.</summary>
    public Sequential Network { get; }
    /// <summary>The loss.</summary>
    public ILoss Loss { get; }
    /// <summary>The batch adapter (columns → tensors).</summary>
    public IBatchAdapter Adapter { get; }
    /// <summary>Total epochs planned.</summary>
    public int Epochs { get; }
    /// <summary>Current 1-based epoch (0 before the first).</summary>
    public int Epoch { get; internal set; }
    /// <summary>Steps done in the current epoch.</summary>
    public long Step { get; internal set; }
    /// <summary>Samples done in the current epoch.</summary>
    public long SamplesDone { get; internal set; }
    /// <summary>Rows per epoch when known.</summary>
    public long? SamplesPerEpoch { get; }
    /// <summary>Sum of per-row losses in the current epoch (loss × rows per batch).</summary>
    public double LossSum { get; internal set; }
    /// <summary>Correct predictions in the current epoch.</summary>
    public long Correct { get; internal set; }
    /// <summary>Mean training loss so far in this epoch.</summary>
    public double RunningLoss => SamplesDone > 0 ? LossSum / SamplesDone : double.NaN;
    /// <summary>Running training accuracy in this epoch (NaN for regression).</summary>
    public double RunningAccuracy => Adapter.IsClassification && SamplesDone > 0 ? (double)Correct / SamplesDone : double.NaN;
    /// <summary>Learning rate of the current epoch.</summary>
    public float LearningRate { get; internal set; }
    /// <summary>Seconds since the current epoch started.</summary>
    public double EpochSeconds => EpochClock.Elapsed.TotalSeconds;
    /// <summary>The record of the epoch that just ended (set before <see cref="ITrainingCallback.OnEpochEnd"/>).</summary>
    public EpochRecord? CurrentEpoch { get; internal set; }
    /// <summary>The history so far.</summary>
    public TrainingHistory History { get; }
    /// <summary>Where <see cref="Log"/> writes.</summary>
    public TrainingLog LogSink { get; }
    /// <summary>Log source name ("Mlp", …).</summary>
    public string Source { get; }
    /// <summary>Cancellation of the run.</summary>
    public CancellationToken Cancellation { get; }
    /// <summary>True once a callback asked to stop after this epoch.</summary>
    public bool StopRequested { get; private set; }
    /// <summary>Why the stop was requested.</summary>
    public string? StopReason { get; private set; }

    internal System.Diagnostics.Stopwatch EpochClock { get; } = new();

    /// <summary>Asks the loop to stop after the current epoch's callbacks.</summary>
    public void RequestStop(string reason)
    {
        StopRequested = true;
        StopReason ??= reason;
    }

    /// <summary>Writes to the context's log.</summary>
    public void Log(LogLevel level, string message) => LogSink.Write(level, message);
}

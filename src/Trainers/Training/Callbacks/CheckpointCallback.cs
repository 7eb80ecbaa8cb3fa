using Microsoft.ML;

namespace DlBook.Trainers.Training.Callbacks;

/// <summary>
/// Saves an ML.NET model zip after each epoch — every epoch (last) or only when the monitored metric improves (best).
/// The file is written to a temporary name and renamed, so a crash never leaves half a checkpoint.
/// </summary>
/// <param name="path">Model zip path.</param>
/// <param name="snapshot">Builds a transformer from the network's current weights.</param>
/// <param name="inputSchema">Schema saved with the model (the trainer's input).</param>
/// <param name="bestOnly">Save only on improvement of <paramref name="monitor"/>.</param>
/// <param name="monitor">The metric for <paramref name="bestOnly"/>.</param>
public sealed class CheckpointCallback(string path, Func<ITransformer> snapshot, DataViewSchema inputSchema, bool bestOnly,
    MonitoredMetric monitor = MonitoredMetric.ValidationAccuracy) : ITrainingCallback
{
    private readonly MetricTracker _tracker = new(monitor, 0);

    /// <summary>Epoch of the last checkpoint written (1-based), 0 before the first.</summary>
    public int SavedEpoch { get; private set; }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingState state)
    {
        bool improved = _tracker.Update(state.CurrentEpoch!);
        if (bestOnly && !improved) return;
        Packaging.ModelFiles.Save(new MLContext(), snapshot(), inputSchema, path);
        SavedEpoch = state.Epoch;
        state.Log(LogLevel.Trace, $"Checkpoint of epoch {state.Epoch} written to '{path}'.");
    }

    /// <inheritdoc />
    public void WriteState(BinaryWriter w)
    {
        _tracker.Write(w);
        w.Write(SavedEpoch);
    }

    /// <inheritdoc />
    public void OnTrainingResumed(TrainingState state, BinaryReader saved)
    {
        _tracker.Read(saved);
        SavedEpoch = saved.ReadInt32();
    }
}

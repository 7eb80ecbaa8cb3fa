using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Trainers.Packaging;

namespace DlBook.Trainers.Training.Callbacks;

/// <summary>
/// Saves a model package after each epoch — every epoch (last) or only when the monitored metric
/// improves (best). The file is written atomically, so a crash never leaves half a checkpoint.
/// </summary>
/// <param name="path">Package path.</param>
/// <param name="snapshot">Builds a model from the network's current weights.</param>
/// <param name="inputSchema">Schema saved with the model.</param>
/// <param name="bestOnly">Save only on improvement of <paramref name="monitor"/>.</param>
/// <param name="monitor">The metric for <paramref name="bestOnly"/>.</param>
public sealed class CheckpointCallback(string path, Func<ITransformer> snapshot, DataSchema inputSchema, bool bestOnly,
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
        ModelPackage.Save(snapshot(), inputSchema, path);
        SavedEpoch = state.Epoch;
        state.Log(LogLevel.Trace, $"Checkpoint of epoch {state.Epoch} written to '{path}'.");
    }
}

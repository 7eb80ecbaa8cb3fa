
namespace DlBook.Trainers.Training.Callbacks;

/// <summary>
/// Stops when the monitored metric has not improved by more than <paramref name="minDelta"/> for
/// <paramref name="patience"/> epochs; optionally puts back the weights of the best epoch.
/// </summary>
public sealed class EarlyStoppingCallback(int patience, MonitoredMetric monitor = MonitoredMetric.ValidationAccuracy,
    double minDelta = 0, bool restoreBestWeights = true) : ITrainingCallback
{
    private readonly MetricTracker _tracker = new(monitor, minDelta);
    private readonly WeightSnapshot _best = new();
    private int _sinceBest;

    /// <summary>The best epoch seen (1-based), 0 before the first.</summary>
    public int BestEpoch => _tracker.BestEpoch;

    /// <inheritdoc />
    public void OnEpochEnd(TrainingState state)
    {
        if (_tracker.Update(state.CurrentEpoch!))
        {
            _sinceBest = 0;
            if (restoreBestWeights) _best.Capture(state.Network.Parameters);
            return;
        }
        if (++_sinceBest >= patience)
            state.RequestStop($"{_tracker.Name} did not improve for {patience} epoch(s); best {_tracker.Best:G5} at epoch {_tracker.BestEpoch}");
    }

    /// <inheritdoc />
    public void WriteState(BinaryWriter w)
    {
        _tracker.Write(w);
        w.Write(_sinceBest);
        _best.Write(w);
    }

    /// <inheritdoc />
    public void OnTrainingResumed(TrainingState state, BinaryReader saved)
    {
        _tracker.Read(saved);
        _sinceBest = saved.ReadInt32();
        _best.Read(saved, state.Network.Parameters);
    }

    /// <inheritdoc />
    public void OnTrainingEnd(TrainingState state)
    {
        if (!restoreBestWeights || !_best.HasValue || _tracker.BestEpoch == state.History.Last?.Epoch) return;
        _best.Restore(state.Network.Parameters);
        state.History.RestoredEpoch = _tracker.BestEpoch;
        state.Log(LogLevel.Info, $"Restored the weights of epoch {_tracker.BestEpoch} ({_tracker.Name} {_tracker.Best:G5}).");
    }
}

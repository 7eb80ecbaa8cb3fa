using System.Diagnostics;
using System.Globalization;

namespace DlBook.Trainers.Training.Callbacks;

/// <summary>Reports progress (samples, loss, running accuracy, samples/s) through <see cref="IProgress{T}"/> and the context log, at most every <paramref name="interval"/>, and an epoch summary.</summary>
public sealed class ProgressCallback(IProgress<TrainingProgress>? progress, TimeSpan? interval = null) : ITrainingCallback
{
    private readonly long _intervalTicks = (long)((interval ?? TimeSpan.FromMilliseconds(250)).TotalSeconds * Stopwatch.Frequency);
    private long _lastReport;

    /// <inheritdoc />
    public void OnBatchEnd(TrainingState state)
    {
        long now = Stopwatch.GetTimestamp();
        if (now - _lastReport < _intervalTicks) return;
        _lastReport = now;
        var p = Snapshot(state);
        progress?.Report(p);
        state.Log(LogLevel.Trace, string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}/{p.Epochs} {p.SamplesDone}/{p.SamplesPerEpoch} loss {p.Loss:F4} acc {p.Accuracy:P2} {p.SamplesPerSecond:F0} samples/s"));
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingState state)
    {
        progress?.Report(Snapshot(state));
        var r = state.CurrentEpoch!;
        var valid = r.ValidationAccuracy is double va
            ? string.Create(CultureInfo.InvariantCulture, $", validation loss {r.ValidationLoss:F4} accuracy {va:P2}") : "";
        state.Log(LogLevel.Info, string.Create(CultureInfo.InvariantCulture,
            $"Epoch {r.Epoch}/{state.Epochs}: train loss {r.TrainLoss:F4} accuracy {r.TrainAccuracy:P2}{valid}, {r.SamplesPerSecond:F0} samples/s, {r.Seconds:F1} s"));
    }

    private static TrainingProgress Snapshot(TrainingState s) =>
        new(s.Epoch, s.Epochs, s.SamplesDone, s.SamplesPerEpoch ?? 0, s.RunningLoss, s.RunningAccuracy,
            s.EpochSeconds > 0 ? s.SamplesDone / s.EpochSeconds : 0, s.LearningRate);
}

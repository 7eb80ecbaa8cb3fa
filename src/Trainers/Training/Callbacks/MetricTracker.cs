namespace DlBook.Trainers.Training.Callbacks;

/// <summary>Tracks the best value of a monitored metric across epochs.</summary>
internal sealed class MetricTracker(MonitoredMetric metric, double minDelta)
{
    public double Best { get; private set; } = double.NaN;
    public int BestEpoch { get; private set; }

    /// <summary>Records the epoch; true when it improved on the best by more than minDelta.</summary>
    public bool Update(EpochRecord record)
    {
        var (value, higherIsBetter) = Read(record);
        bool improved = double.IsNaN(Best) || (higherIsBetter ? value > Best + minDelta : value < Best - minDelta);
        if (improved)
        {
            Best = value;
            BestEpoch = record.Epoch;
        }
        return improved;
    }

    public string Name => metric.ToString();

    public void Write(BinaryWriter w)
    {
        w.Write(Best);
        w.Write(BestEpoch);
    }

    public void Read(BinaryReader r)
    {
        Best = r.ReadDouble();
        BestEpoch = r.ReadInt32();
    }

    private (double Value, bool HigherIsBetter) Read(EpochRecord r) => metric switch
    {
        MonitoredMetric.ValidationAccuracy when r.ValidationAccuracy is double a && !double.IsNaN(a) => (a, true),
        MonitoredMetric.ValidationAccuracy or MonitoredMetric.ValidationLoss => (r.ValidationLoss
            ?? throw new InvalidOperationException($"Monitoring {metric} needs a validation set; set ValidationSet or monitor TrainLoss."), false),
        _ => (r.TrainLoss, false),
    };
}

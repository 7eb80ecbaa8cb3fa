namespace DlBook.Trainers.Training.Callbacks;

/// <summary>A metric of an epoch record that early stopping and checkpoints watch.</summary>
public enum MonitoredMetric
{
    /// <summary>Validation accuracy (higher is better); falls back to validation loss for regression.</summary>
    ValidationAccuracy,
    /// <summary>Validation loss (lower is better).</summary>
    ValidationLoss,
    /// <summary>Training loss (lower is better); for runs without a validation set.</summary>
    TrainLoss,
}

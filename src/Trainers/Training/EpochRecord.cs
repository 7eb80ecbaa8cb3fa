using DlBook.Engine.Diagnostics;
namespace DlBook.Trainers.Training;

/// <summary>What one epoch of training produced.</summary>
public sealed class EpochRecord
{
    /// <summary>1-based epoch.</summary>
    public int Epoch { get; init; }
    /// <summary>Mean training loss over the epoch's batches (weighted by rows).</summary>
    public double TrainLoss { get; set; }
    /// <summary>Training accuracy measured while training (NaN for regression).</summary>
    public double TrainAccuracy { get; set; }
    /// <summary>Validation loss, when a validation set is given.</summary>
    public double? ValidationLoss { get; set; }
    /// <summary>Validation accuracy, when a validation set is given (NaN for regression).</summary>
    public double? ValidationAccuracy { get; set; }
    /// <summary>Learning rate used in this epoch.</summary>
    public float LearningRate { get; set; }
    /// <summary>Wall-clock seconds of the training pass (validation and callbacks excluded).</summary>
    public double Seconds { get; set; }
    /// <summary>Training samples in the epoch.</summary>
    public long Samples { get; set; }
    /// <summary>Training throughput.</summary>
    public double SamplesPerSecond => Seconds > 0 ? Samples / Seconds : 0;
    /// <summary>Learning speeds after this epoch, when the gradient monitor runs.</summary>
    public IReadOnlyList<LayerLearningSpeed>? LearningSpeeds { get; set; }
    /// <summary>‖∂C/∂h_t‖ per time step of the first recurrent layer after this epoch, when the gradient monitor runs on a recurrent network.</summary>
    public IReadOnlyList<double>? StepGradientNorms { get; set; }
}

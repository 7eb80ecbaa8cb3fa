namespace DlBook.Trainers.Training;

/// <summary>A progress report during training (sent through <see cref="IProgress{T}"/> and the context log).</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="SamplesDone">Samples processed in this epoch.</param>
/// <param name="SamplesPerEpoch">Samples per epoch (0 when the view does not know its row count).</param>
/// <param name="Loss">Mean training loss so far in this epoch.</param>
/// <param name="Accuracy">Running training accuracy in this epoch (NaN for regression).</param>
/// <param name="SamplesPerSecond">Training throughput in this epoch.</param>
/// <param name="LearningRate">Current learning rate.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, long SamplesDone, long SamplesPerEpoch, double Loss, double Accuracy,
    double SamplesPerSecond, float LearningRate);

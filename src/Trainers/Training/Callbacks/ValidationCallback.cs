using DlBook.Pipelines.Bridge;

namespace DlBook.Trainers.Training.Callbacks;

/// <summary>Measures loss and accuracy on a validation set after each epoch and writes them into the epoch's record.</summary>
public sealed class ValidationCallback(TrainingRows validation, int batchSize = 1000) : ITrainingCallback
{
    /// <inheritdoc />
    public void OnEpochEnd(TrainingState state)
    {
        var (loss, accuracy, _) = NetworkEvaluation.Evaluate(state.Network, state.Loss, state.Adapter, validation, batchSize, state.Cancellation);
        var record = state.CurrentEpoch!;
        record.ValidationLoss = loss;
        record.ValidationAccuracy = accuracy;
    }
}

namespace DlBook.Engine.Schedules;

/// <summary>The base rate for every epoch.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <inheritdoc />
    public float Rate(float baseRate, int epoch, int totalEpochs) => baseRate;
}

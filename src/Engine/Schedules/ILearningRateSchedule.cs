namespace DlBook.Engine.Schedules;

/// <summary>Learning rate as a function of the (0-based) epoch and the step within training.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The learning rate for <paramref name="epoch"/>; <paramref name="totalEpochs"/> lets cosine reach its floor.</summary>
    float Rate(float baseRate, int epoch, int totalEpochs);
}

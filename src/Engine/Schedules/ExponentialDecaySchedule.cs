namespace DlBook.Engine.Schedules;

/// <summary>η_e = η·rateᵉ: multiplied by <see cref="DecayRate"/> each epoch (e.g. 0.98).</summary>
public sealed class ExponentialDecaySchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="decayRate">Factor per epoch, in (0, 1].</param>
    public ExponentialDecaySchedule(float decayRate)
    {
        if (!(decayRate > 0 && decayRate <= 1)) throw new ArgumentOutOfRangeException(nameof(decayRate), decayRate, "The decay per epoch must be in (0, 1].");
        DecayRate = decayRate;
    }

    /// <summary>Factor per epoch.</summary>
    public float DecayRate { get; }

    /// <inheritdoc />
    public float Rate(float baseRate, int epoch, int totalEpochs) => (float)(baseRate * Math.Pow(DecayRate, epoch));
}

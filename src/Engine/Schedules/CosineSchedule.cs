namespace DlBook.Engine.Schedules;

/// <summary>
/// Cosine annealing from the base rate at epoch 0 towards <see cref="MinRate"/> at the end of training:
/// η_e = η_min + (η − η_min)·(1 + cos(π·e/E))/2 (PyTorch's CosineAnnealingLR with T_max = E epochs).
/// </summary>
public sealed class CosineSchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="minRate">The floor η_min (≥ 0).</param>
    public CosineSchedule(float minRate = 0f)
    {
        if (!(minRate >= 0)) throw new ArgumentOutOfRangeException(nameof(minRate), minRate, "The minimum rate must be ≥ 0.");
        MinRate = minRate;
    }

    /// <summary>The floor.</summary>
    public float MinRate { get; }

    /// <inheritdoc />
    public float Rate(float baseRate, int epoch, int totalEpochs)
    {
        if (totalEpochs <= 0) return baseRate;
        double t = Math.Clamp((double)epoch / totalEpochs, 0, 1);
        return (float)(MinRate + (baseRate - MinRate) * (1 + Math.Cos(Math.PI * t)) / 2);
    }
}

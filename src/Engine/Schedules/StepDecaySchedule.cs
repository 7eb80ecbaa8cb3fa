namespace DlBook.Engine.Schedules;

/// <summary>η_e = η·γ^⌊e/stepSize⌋: multiplied by γ every <see cref="StepSize"/> epochs (PyTorch's StepLR).</summary>
public sealed class StepDecaySchedule : ILearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="stepSize">Epochs between decays (≥ 1).</param>
    /// <param name="gamma">Factor per decay, in (0, 1].</param>
    public StepDecaySchedule(int stepSize, float gamma)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "The step size must be ≥ 1 epoch.");
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Gamma must be in (0, 1].");
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Factor per decay.</summary>
    public float Gamma { get; }

    /// <inheritdoc />
    public float Rate(float baseRate, int epoch, int totalEpochs) => (float)(baseRate * Math.Pow(Gamma, epoch / StepSize));
}

namespace DlBook.Engine.Schedules;

/// <summary>Creates learning-rate schedules by name (case-insensitive).</summary>
public static class ScheduleFactory
{
    /// <summary>The valid names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["Constant", "ExponentialDecay", "StepDecay", "Cosine"];

    /// <summary>Creates the schedule called <paramref name="name"/>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="decayRate">ExponentialDecay's factor per epoch (0.98).</param>
    /// <param name="stepSize">StepDecay's epochs between decays (10).</param>
    /// <param name="gamma">StepDecay's factor (0.1).</param>
    /// <param name="minRate">Cosine's floor (0).</param>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static ILearningRateSchedule Create(string name, float decayRate = 0.98f, int stepSize = 10, float gamma = 0.1f, float minRate = 0f) =>
        name?.Trim().ToLowerInvariant() switch
        {
            "constant" => new ConstantSchedule(),
            "exponentialdecay" or "exponential" => new ExponentialDecaySchedule(decayRate),
            "stepdecay" or "step" => new StepDecaySchedule(stepSize, gamma),
            "cosine" => new CosineSchedule(minRate),
            _ => throw new ArgumentException($"Unknown learning-rate schedule '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name)),
        };
}

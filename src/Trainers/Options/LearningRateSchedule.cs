namespace DlBook.Trainers;

/// <summary>How the learning rate changes from epoch to epoch.</summary>
public enum LearningRateSchedule
{
    /// <summary>η every epoch.</summary>
    Constant,
    /// <summary>η·DecayRate^epoch.</summary>
    ExponentialDecay,
    /// <summary>η·Gamma^(epoch / StepSize).</summary>
    StepDecay,
    /// <summary>Cosine from η down to MinLearningRate.</summary>
    Cosine,
}

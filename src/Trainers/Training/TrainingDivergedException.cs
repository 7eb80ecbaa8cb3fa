namespace DlBook.Trainers.Training;

/// <summary>The loss became NaN or infinite during training.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the given epoch (1-based) and step within it (1-based).</summary>
    public TrainingDivergedException(int epoch, long step, float loss, float learningRate)
        : base($"Training diverged: the loss became {loss} at epoch {epoch}, step {step} (learning rate {learningRate}). " +
               "Lower the learning rate (e.g. by 10x), clip gradients (GradientClipNorm, e.g. 5), or normalise the inputs.")
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
    }

    /// <summary>1-based epoch where it happened.</summary>
    public int Epoch { get; }
    /// <summary>1-based step within the epoch.</summary>
    public long Step { get; }
    /// <summary>The non-finite loss.</summary>
    public float Loss { get; }
}

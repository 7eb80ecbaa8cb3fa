namespace DlBook.Trainers.Experiments;

/// <summary>One training run of a book experiment (chapter 34 table, chapter 25 initialisation comparison).</summary>
/// <param name="Sizes">Layer sizes.</param>
/// <param name="Initializer">Weight initialiser ("Normal1OverFanIn" or "StandardNormal").</param>
/// <param name="Seed">Seed of initialisation and shuffling.</param>
/// <param name="ValidationAccuracy">Validation accuracy after each epoch.</param>
/// <param name="Seconds">Wall-clock training time (validation excluded).</param>
/// <param name="SamplesPerSecond">Mean training throughput.</param>
public sealed record BookRunResult(int[] Sizes, string Initializer, int Seed, double[] ValidationAccuracy, double Seconds, double SamplesPerSecond)
{
    /// <summary>Accuracy after the last epoch.</summary>
    public double Final => ValidationAccuracy[^1];
    /// <summary>Best accuracy over the epochs.</summary>
    public double Best => ValidationAccuracy.Max();
}

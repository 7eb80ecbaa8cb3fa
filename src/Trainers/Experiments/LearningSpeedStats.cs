namespace DlBook.Trainers.Experiments;

/// <summary>Chapter 34's learning speeds at initialisation over several seeds: ‖mean δˡ‖ per hidden layer.</summary>
/// <param name="Sizes">Layer sizes, e.g. [784, 30, 30, 10].</param>
/// <param name="Samples">Training images averaged over (the book: the first 1,000).</param>
/// <param name="Seeds">The seeds.</param>
/// <param name="Mean">Mean over seeds, per hidden layer (first to last).</param>
/// <param name="StdDev">Sample standard deviation over seeds, per hidden layer.</param>
/// <param name="PerSeed">Per seed, per hidden layer.</param>
public sealed record LearningSpeedStats(int[] Sizes, int Samples, IReadOnlyList<int> Seeds, double[] Mean, double[] StdDev, double[][] PerSeed);

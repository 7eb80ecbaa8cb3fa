namespace DlBook.Trainers.Experiments;

/// <summary>Chapter 34's training-speed curve: ‖mean δˡ‖ per hidden layer before every epoch of full-batch gradient descent.</summary>
/// <param name="Sizes">Layer sizes.</param>
/// <param name="Seed">Initialisation seed.</param>
/// <param name="Speeds">Speeds[e][l]: before epoch e+1 (e = 0 is initialisation; the last row is after the last epoch), hidden layer l.</param>
public sealed record TrainingSpeedCurve(int[] Sizes, int Seed, double[][] Speeds);

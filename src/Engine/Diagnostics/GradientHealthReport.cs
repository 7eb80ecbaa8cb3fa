namespace DlBook.Engine.Diagnostics;

/// <summary>The verdict of <see cref="GradientHealth.Assess"/>.</summary>
/// <param name="FirstToLastRatio">‖∂C/∂b‖ of the first hidden layer over the last hidden layer; null with fewer than two hidden layers.</param>
/// <param name="IsVanishing">The ratio is below the threshold.</param>
/// <param name="IsExploding">A norm is non-finite, above the threshold, or grew too fast.</param>
/// <param name="Warnings">One line per finding, naming the layer.</param>
public sealed record GradientHealthReport(double? FirstToLastRatio, bool IsVanishing, bool IsExploding, IReadOnlyList<string> Warnings)
{
    /// <summary>No warnings.</summary>
    public bool IsHealthy => Warnings.Count == 0;
}

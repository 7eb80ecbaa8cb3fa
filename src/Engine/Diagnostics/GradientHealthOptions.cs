namespace DlBook.Engine.Diagnostics;

/// <summary>Thresholds of <see cref="GradientHealth.Assess"/>.</summary>
public sealed record GradientHealthOptions
{
    /// <summary>Vanishing when ‖∂C/∂b‖ of the first hidden layer over that of the last hidden layer falls below this (default 0.01).</summary>
    public double VanishingRatio { get; init; } = 0.01;

    /// <summary>Exploding when any ‖∂C/∂b‖ or ‖∂C/∂W‖ exceeds this (default 1000).</summary>
    public double ExplodingNorm { get; init; } = 1000;

    /// <summary>Exploding when a norm grew by more than this factor since the previous measurement (default 10).</summary>
    public double GrowthFactor { get; init; } = 10;

    /// <summary>
    /// Growth counts only when the new norm is at least this (default 1): near a minimum the gradients are tiny and
    /// swing by large factors (0.002 → 0.04 in an LSTM on the adding problem) without anything exploding.
    /// </summary>
    public double GrowthFloor { get; init; } = 1;
}

namespace DlBook.Trainers.Training;

/// <summary>The learning speed of one Dense layer (chapter 34): ‖∂C/∂b‖ and ‖∂C/∂W‖ of the gradient averaged over a fixed sample set.</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Index">0-based index among the Dense layers.</param>
/// <param name="IsHidden">True for hidden layers (the book's measure); false for the output layer.</param>
/// <param name="BiasGradientNorm">‖mean ∂C/∂b‖.</param>
/// <param name="WeightGradientNorm">‖mean ∂C/∂W‖.</param>
public sealed record LayerLearningSpeed(string Layer, int Index, bool IsHidden, double BiasGradientNorm, double WeightGradientNorm);

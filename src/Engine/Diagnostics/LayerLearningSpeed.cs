namespace DlBook.Engine.Diagnostics;

/// <summary>
/// The learning speed of one Dense layer (chapter 34): the norms of its gradients averaged over a fixed set. The one
/// record of it: <see cref="LearningSpeed.Measure"/> gives it, the gradient monitor stores it in the training history
/// (and the model file), the book's experiments and <see cref="GradientHealth"/> read it.
/// </summary>
/// <param name="Layer">The layer's name ("dense1").</param>
/// <param name="Index">0-based index among the network's Dense layers.</param>
/// <param name="IsHidden">False for the output layer (the book reports hidden layers only).</param>
/// <param name="BiasGradientNorm">‖∂C/∂b‖ = ‖mean δˡ‖, the book's chapter 34 measure; NaN for a layer without a bias.</param>
/// <param name="WeightGradientNorm">‖∂C/∂W‖ (Frobenius).</param>
/// <param name="HasBias">False for a layer without a bias (a convolution before batch normalisation): its ‖∂C/∂b‖ is NaN.</param>
public sealed record LayerLearningSpeed(string Layer, int Index, bool IsHidden, double BiasGradientNorm, double WeightGradientNorm, bool HasBias = true);

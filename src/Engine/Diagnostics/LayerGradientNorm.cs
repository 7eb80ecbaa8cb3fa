namespace DlBook.Engine.Diagnostics;

/// <summary>A Dense layer's learning speed: the norms of its mean gradients over a fixed set.</summary>
/// <param name="LayerName">The layer's name ("dense1").</param>
/// <param name="LayerIndex">Position in the network's layer list.</param>
/// <param name="IsHidden">False for the output layer (the book reports hidden layers only).</param>
/// <param name="BiasGradientNorm">‖∂C/∂b‖ = ‖mean δˡ‖, the book's chapter 34 measure.</param>
/// <param name="WeightGradientNorm">‖∂C/∂W‖ (Frobenius).</param>
public sealed record LayerGradientNorm(string LayerName, int LayerIndex, bool IsHidden, double BiasGradientNorm, double WeightGradientNorm);

using DlBook.Engine.Activations;

namespace DlBook.Engine.Losses;

/// <summary>Looks losses up by name (case-insensitive).</summary>
public static class LossFactory
{
    /// <summary>The valid names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["CrossEntropy", "Quadratic", "QuadraticIdentity", "SoftmaxCrossEntropy"];

    /// <summary>
    /// "CrossEntropy" (sigmoid outputs, network2's default), "Quadratic" (sigmoid outputs),
    /// "QuadraticIdentity" (identity outputs, regression; also "MeanSquaredError"/"Mse"),
    /// "SoftmaxCrossEntropy" (also "Softmax").
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static ILoss Create(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "crossentropy" => new CrossEntropyLoss(),
        "quadratic" => new QuadraticLoss(Activation.Sigmoid),
        "quadraticidentity" or "meansquarederror" or "mse" => new QuadraticLoss(Activation.Identity),
        "softmaxcrossentropy" or "softmax" => new SoftmaxCrossEntropyLoss(),
        _ => throw new ArgumentException($"Unknown loss '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name)),
    };
}

namespace DlBook.Engine.Optimizers;

/// <summary>Creates optimisers by name (case-insensitive) with their hyper-parameters; unset ones take PyTorch's defaults.</summary>
public static class OptimizerFactory
{
    /// <summary>The valid names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["Sgd", "Momentum", "Nesterov", "Adagrad", "RmsProp", "Adam", "AdamW"];

    /// <summary>Creates the optimiser called <paramref name="name"/>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="momentum">μ for Momentum/Nesterov (0.9).</param>
    /// <param name="beta1">β1 for Adam/AdamW (0.9).</param>
    /// <param name="beta2">β2 for Adam/AdamW (0.999).</param>
    /// <param name="rho">ρ for RmsProp (0.99).</param>
    /// <param name="epsilon">ε (Adagrad 1e-10, others 1e-8).</param>
    /// <param name="weightDecay">AdamW's decoupled decay (0.01); coupled L2 for Sgd/Momentum/Nesterov (0); ignored by the others.</param>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static IOptimizer Create(string name, float momentum = 0.9f, float beta1 = 0.9f, float beta2 = 0.999f,
        float rho = 0.99f, float? epsilon = null, float? weightDecay = null) => name?.Trim().ToLowerInvariant() switch
    {
        "sgd" => new Sgd(weightDecay ?? 0f),
        "momentum" => new Momentum(momentum, weightDecay ?? 0f),
        "nesterov" => new Nesterov(momentum, weightDecay ?? 0f),
        "adagrad" => new Adagrad(epsilon ?? 1e-10f),
        "rmsprop" => new RmsProp(rho, epsilon ?? 1e-8f),
        "adam" => new Adam(beta1, beta2, epsilon ?? 1e-8f),
        "adamw" => new AdamW(beta1, beta2, epsilon ?? 1e-8f, weightDecay ?? 0.01f),
        _ => throw new ArgumentException($"Unknown optimiser '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name)),
    };
}

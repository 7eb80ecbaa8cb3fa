using DlBook.Engine.Layers;

namespace DlBook.Engine.Optimizers;

/// <summary>
/// Updates parameters from their gradients. State (velocities, moments) is kept per parameter
/// object. Non-trainable parameters are skipped. L2 regularisation is added to the gradient by
/// the training loop before <see cref="Step"/>; decoupled weight decay (AdamW) is the optimiser's own.
/// </summary>
public interface IOptimizer
{
    /// <summary>Name as used in options ("Sgd", "Momentum", "Nesterov", "Adagrad", "RmsProp", "Adam", "AdamW").</summary>
    string Name { get; }

    /// <summary>Applies one update with learning rate η.</summary>
    void Step(IReadOnlyList<Parameter> parameters, float learningRate);

    /// <summary>
    /// Writes the optimiser's per-parameter state (velocities, moments, step counts) for <paramref name="parameters"/>, in
    /// their order, so a resumed run continues bit for bit. Stateless optimisers write nothing.
    /// </summary>
    void WriteState(BinaryWriter w, IReadOnlyList<Parameter> parameters) { }

    /// <summary>Restores what <see cref="WriteState"/> wrote for the same parameters.</summary>
    void ReadState(BinaryReader r, IReadOnlyList<Parameter> parameters) { }
}

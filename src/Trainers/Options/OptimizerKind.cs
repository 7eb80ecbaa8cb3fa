namespace DlBook.Trainers;

/// <summary>The optimiser of a trainer.</summary>
public enum OptimizerKind
{
    /// <summary>Plain mini-batch SGD (the book).</summary>
    Sgd,
    /// <summary>SGD with momentum.</summary>
    Momentum,
    /// <summary>Nesterov momentum.</summary>
    Nesterov,
    /// <summary>Adagrad.</summary>
    Adagrad,
    /// <summary>RMSProp.</summary>
    RmsProp,
    /// <summary>Adam.</summary>
    Adam,
    /// <summary>Adam with decoupled weight decay.</summary>
    AdamW,
}

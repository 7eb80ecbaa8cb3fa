namespace DlBook.Engine.Activations;

/// <summary>Activation functions of the engine.</summary>
public enum Activation
{
    /// <summary>f(z) = z.</summary>
    Identity,
    /// <summary>σ(z) = 1/(1+e^-z), the book's neuron.</summary>
    Sigmoid,
    /// <summary>tanh(z).</summary>
    Tanh,
    /// <summary>max(0, z).</summary>
    Relu,
    /// <summary>z for z &gt; 0, αz otherwise (α default 0.01).</summary>
    LeakyRelu,
    /// <summary>z for z &gt; 0, α(e^z − 1) otherwise (α default 1).</summary>
    Elu,
    /// <summary>Row-wise softmax.</summary>
    Softmax,
    /// <summary>Row-wise log-softmax.</summary>
    LogSoftmax,
}

namespace DlBook.Engine.Layers;

/// <summary>The layer kinds the engine knows. Later kinds (Conv2d, MaxPool2d, Flatten, Rnn, Lstm, Gru, Embedding) join here.</summary>
public static class LayerKinds
{
    /// <summary>Fully connected: y = x Wᵀ + b, W [out, in], b [out]. Settings: units, init, biasInit.</summary>
    public const string Dense = "Dense";
    /// <summary>Element-wise or row-wise activation. Settings: activation, alpha.</summary>
    public const string Activation = "Activation";
    /// <summary>Inverted dropout; identity at inference. Settings: rate.</summary>
    public const string Dropout = "Dropout";
    /// <summary>Batch normalisation over features of [batch, features]. Settings: epsilon, momentum. Parameters gamma, beta, runningMean, runningVar.</summary>
    public const string BatchNorm1d = "BatchNorm1d";
}

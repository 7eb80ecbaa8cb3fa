namespace DlBook.Engine.Layers;

/// <summary>The layer kinds the engine knows. Later kinds (Conv2d, MaxPool2d, Flatten, …) join here.</summary>
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
    /// <summary>Vanilla RNN (ONNX RNN). Settings: units, activation, returnSequences, bidirectional, init, recurrentInit, biasInit, bpttSteps. Parameters W [dirs, H, in], R [dirs, H, H], B [dirs, 2H].</summary>
    public const string SimpleRnn = "SimpleRnn";
    /// <summary>LSTM (ONNX LSTM, gates i, o, f, c). Settings as SimpleRnn plus unitForgetBias. Parameters W [dirs, 4H, in], R [dirs, 4H, H], B [dirs, 8H].</summary>
    public const string Lstm = "Lstm";
    /// <summary>GRU (ONNX GRU, linear_before_reset = 1, gates z, r, h). Settings as SimpleRnn plus linearBeforeReset. Parameters W [dirs, 3H, in], R [dirs, 3H, H], B [dirs, 6H].</summary>
    public const string Gru = "Gru";
    /// <summary>Token-id lookup [batch, T] → [batch, T, dim]. Settings: vocab, dim, paddingIndex, init. Parameter W [vocab, dim].</summary>
    public const string Embedding = "Embedding";
    /// <summary>A Dense applied at every step: [batch, T, in] → [batch, T, units]. Settings: units, init, biasInit. Parameters W [units, in], b [units].</summary>
    public const string TimeDistributedDense = "TimeDistributedDense";
}

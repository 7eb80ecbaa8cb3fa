namespace DlBook.Engine.Layers;

/// <summary>The layer kinds the engine knows. Image layers take NCHW samples [C, H, W]; sequence layers [T, features] or token ids [T].</summary>
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
    /// <summary>2-D convolution, W [F, C, kh, kw], b [F] (ONNX Conv layout). Settings: filters, kernel, stride, padding, dilation, bias, init, biasInit; written back: pads.</summary>
    public const string Conv2d = "Conv2d";
    /// <summary>Max pooling per channel. Settings: pool, stride, padding; written back: pads.</summary>
    public const string MaxPool2d = "MaxPool2d";
    /// <summary>Average pooling per channel, padding excluded from the count. Settings: pool, stride, padding; written back: pads.</summary>
    public const string AvgPool2d = "AvgPool2d";
    /// <summary>Mean of each channel: [C, H, W] → [C].</summary>
    public const string GlobalAvgPool2d = "GlobalAvgPool2d";
    /// <summary>Batch normalisation per channel of [C, H, W]. Settings: epsilon, momentum. Parameters gamma, beta, runningMean, runningVar [C].</summary>
    public const string BatchNorm2d = "BatchNorm2d";
    /// <summary>[C, H, W] → [C·H·W] in NCHW order (ONNX Flatten).</summary>
    public const string Flatten = "Flatten";
    /// <summary>Drops whole channels (inverted scaling); identity at inference. Settings: rate, seed.</summary>
    public const string SpatialDropout2d = "SpatialDropout2d";
}

namespace DlBook.Engine.Layers;

/// <summary>The recurrent cells of the engine (the ONNX operators RNN, LSTM and GRU).</summary>
public enum RecurrentCell
{
    /// <summary>h = f(W x + R h₋ + Wb + Rb), f = tanh or relu. One gate block.</summary>
    SimpleRnn,
    /// <summary>LSTM without peepholes, gate order i, o, f, c (ONNX). Four gate blocks.</summary>
    Lstm,
    /// <summary>GRU with linear_before_reset = 1, gate order z, r, h (ONNX). Three gate blocks.</summary>
    Gru,
}

namespace DlBook.Trainers.Recurrent;

/// <summary>The recurrent cell of a <see cref="RecurrentTrainer"/> (ONNX RNN, LSTM and GRU operators).</summary>
public enum RecurrentCellType
{
    /// <summary>The vanilla (Elman) RNN, h = tanh(W x + R h₋ + b): the gradient through time vanishes (chapter 49).</summary>
    Rnn,
    /// <summary>Long short-term memory (gates i, o, f, c; forget-gate bias 1).</summary>
    Lstm,
    /// <summary>Gated recurrent unit (gates z, r, h; reset applied after the recurrent product, as PyTorch and Keras).</summary>
    Gru,
}

namespace DlBook.Trainers.Networks;

/// <summary>The trainers that produce a <see cref="NetworkTransformer"/>.</summary>
public enum TrainerKind
{
    /// <summary>Multi-layer perceptron (the MNIST chapters).</summary>
    Mlp,
    /// <summary>Recurrent network: vanilla RNN, LSTM or GRU (chapters 48–52).</summary>
    Recurrent,
    /// <summary>Convolutional network for images (chapters 40–47).</summary>
    Cnn,
}

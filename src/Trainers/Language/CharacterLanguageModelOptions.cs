using DlBook.Trainers.Recurrent;

namespace DlBook.Trainers.Language;

/// <summary>
/// How <see cref="CharacterLanguageModel.Train(string, CharacterLanguageModelOptions?)"/> builds and trains a
/// character-level language model. The defaults are the tiny-shakespeare setting: windows of 100 characters,
/// Embedding 64 → LSTM 256 → TimeDistributedDense V, Adam η 2·10⁻³, global-norm clipping at 5, mini-batch 32.
/// </summary>
public sealed class CharacterLanguageModelOptions
{
    /// <summary>Characters per training window T (each predicts the next character at every step). Default 100.</summary>
    public int SequenceLength { get; set; } = 100;

    /// <summary>Values per character of the embedding. Default 64.</summary>
    public int EmbeddingDimension { get; set; } = 64;

    /// <summary>Units per recurrent layer. Default 256.</summary>
    public int HiddenSize { get; set; } = 256;

    /// <summary>Stacked recurrent layers. Default 1.</summary>
    public int Layers { get; set; } = 1;

    /// <summary>The recurrent cell. Default LSTM.</summary>
    public RecurrentCellType CellType { get; set; } = RecurrentCellType.Lstm;

    /// <summary>Mini-batch size (windows). Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Adam's learning rate. Default 0.002.</summary>
    public float LearningRate { get; set; } = 2e-3f;

    /// <summary>Clip the global gradient norm to this value. Default 5.</summary>
    public float GradientClipNorm { get; set; } = 5f;

    /// <summary>Epochs (passes over the training windows, in a seeded order each). Default 10.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>
    /// Wall-clock budget (null: none): training stops at the first mini-batch boundary after it, and the network is then
    /// evaluated on the validation part, whether or not <see cref="Epochs"/> are done.
    /// </summary>
    public TimeSpan? TimeLimit { get; set; }

    /// <summary>Share of the text, at its end, held out for validation. Default 0.1 (the first 90% trains).</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>Seed of the initialisation and of the order of the windows. The same seed and thread count give the same bits.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Receives every evaluation (after each epoch, and after a partial epoch cut by <see cref="TimeLimit"/>).</summary>
    public IProgress<LanguageModelEvaluation>? Evaluations { get; set; }

    /// <summary>Cancellation of the training.</summary>
    public CancellationToken Cancellation { get; set; }

    internal void Validate()
    {
        static void AtLeast(int value, int min, string name)
        {
            if (value < min) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {min} (got {value}).");
        }
        AtLeast(SequenceLength, 1, nameof(SequenceLength));
        AtLeast(EmbeddingDimension, 1, nameof(EmbeddingDimension));
        AtLeast(HiddenSize, 1, nameof(HiddenSize));
        AtLeast(Layers, 1, nameof(Layers));
        AtLeast(BatchSize, 1, nameof(BatchSize));
        AtLeast(Epochs, 1, nameof(Epochs));
        AtLeast(Seed, 0, nameof(Seed));
        if (!(float.IsFinite(LearningRate) && LearningRate > 0))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, $"LearningRate must be a positive number (got {LearningRate}).");
        if (!(float.IsFinite(GradientClipNorm) && GradientClipNorm > 0))
            throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm, $"GradientClipNorm must be a positive number (got {GradientClipNorm}).");
        if (!(ValidationFraction > 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, $"ValidationFraction must be in (0, 1) (got {ValidationFraction}).");
        if (TimeLimit is { } t && t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(TimeLimit), t, $"TimeLimit must be positive (got {t}).");
    }
}

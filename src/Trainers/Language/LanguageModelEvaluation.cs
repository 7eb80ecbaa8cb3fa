namespace DlBook.Trainers.Language;

/// <summary>One evaluation of a character language model during training.</summary>
/// <param name="Epoch">1-based epoch it followed.</param>
/// <param name="Partial">True when the epoch was cut short by the time limit.</param>
/// <param name="CharactersTrained">Characters predicted in training so far (windows × T, all epochs).</param>
/// <param name="TrainLoss">Mean training loss of the epoch, nats per character.</param>
/// <param name="ValidationLoss">Mean loss on the validation windows, nats per character.</param>
/// <param name="Seconds">Seconds since training started (training and evaluations).</param>
public sealed record LanguageModelEvaluation(int Epoch, bool Partial, long CharactersTrained, double TrainLoss, double ValidationLoss, double Seconds)
{
    /// <summary>The validation loss in bits per character.</summary>
    public double ValidationBitsPerCharacter => ValidationLoss / Math.Log(2);
}

/// <summary>What a training run of a character language model measured.</summary>
/// <param name="Evaluations">Every evaluation, in order.</param>
/// <param name="TrainingCharacters">Characters in the training part of the text.</param>
/// <param name="ValidationCharacters">Characters in the validation part.</param>
/// <param name="UnigramEntropy">Entropy of the training part's character frequencies, nats per character (a model without context).</param>
/// <param name="UnigramValidationLoss">Cross-entropy of the validation part under those frequencies, nats per character.</param>
/// <param name="CharactersPerSecond">Training characters predicted per second of the training passes (evaluations excluded).</param>
/// <param name="Seconds">Wall-clock seconds of the whole run (training and evaluations).</param>
/// <param name="StoppedByTimeLimit">True when the time limit ended the run.</param>
/// <param name="Seed">The seed used.</param>
public sealed record LanguageModelTraining(IReadOnlyList<LanguageModelEvaluation> Evaluations, long TrainingCharacters, long ValidationCharacters,
    double UnigramEntropy, double UnigramValidationLoss, double CharactersPerSecond, double Seconds, bool StoppedByTimeLimit, int Seed)
{
    /// <summary>The last validation loss, nats per character.</summary>
    public double ValidationLoss => Evaluations.Count > 0 ? Evaluations[^1].ValidationLoss : double.NaN;
}

/// <summary>A character the model's vocabulary does not hold (in a prime or in text to evaluate).</summary>
public sealed class UnknownCharacterException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public UnknownCharacterException(char character, int position, string what, string? paramName)
        : base($"{what} holds {Describe(character)} at position {position}, which is not in the model's vocabulary (the characters of its training text).", paramName)
    {
        Character = character;
        Position = position;
    }

    /// <summary>The unknown character.</summary>
    public char Character { get; }

    /// <summary>Its 0-based position.</summary>
    public int Position { get; }

    internal static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}

using System.Diagnostics;
using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Trainers.Recurrent;
using DlBook.Trainers.Training;
using DlBook.Trainers.Training.Callbacks;

namespace DlBook.Trainers.Language;

/// <summary>
/// A character-level language model: Embedding → 1 or more LSTM (or GRU, RNN) layers returning every step →
/// TimeDistributedDense over the vocabulary, trained with the per-step softmax cross-entropy
/// (<see cref="SequenceSoftmaxCrossEntropyLoss"/>) to predict each next character, on the one training loop.
/// <see cref="Generate"/> samples text one character at a time, carrying the recurrent state between characters.
/// </summary>
/// <remarks>
/// The vocabulary is the sorted set of the training text's characters (UTF-16 code units, ordinal order), so the same
/// text always gives the same ids. The text is split in order: the first (1 − ValidationFraction) trains, the rest
/// validates; each part is cut into non-overlapping windows of T + 1 characters, every window starting from a zero
/// state. Losses are mean nats per predicted character.
/// </remarks>
public sealed partial class CharacterLanguageModel
{
    private readonly char[] _vocabulary;
    private readonly Dictionary<char, int> _ids;

    private CharacterLanguageModel(char[] vocabulary, Sequential network, int sequenceLength, RecurrentCellType cell, LanguageModelTraining? training)
    {
        _vocabulary = vocabulary;
        _ids = vocabulary.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        Network = network;
        SequenceLength = sequenceLength;
        CellType = cell;
        Training = training;
    }

    /// <summary>The characters the model knows, in id order.</summary>
    public IReadOnlyList<char> Vocabulary => _vocabulary;

    /// <summary>The network (ids [batch, T] → logits [batch, T, V]).</summary>
    public Sequential Network { get; }

    /// <summary>The training window T.</summary>
    public int SequenceLength { get; }

    /// <summary>The recurrent cell.</summary>
    public RecurrentCellType CellType { get; }

    /// <summary>What training measured (kept through Save and Load).</summary>
    public LanguageModelTraining? Training { get; }

    /// <summary>Trains on the text of a file (UTF-8).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static CharacterLanguageModel TrainFile(string path, CharacterLanguageModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Text file '{path}' does not exist.", path);
        return Train(File.ReadAllText(path), options);
    }

    /// <summary>Trains a model on <paramref name="text"/>: the first part trains, the last <see cref="CharacterLanguageModelOptions.ValidationFraction"/> validates.</summary>
    /// <exception cref="ArgumentException">The text is too short for one training and one validation window, or its validation part holds a character the training part does not.</exception>
    /// <exception cref="TrainingDivergedException">The loss became non-finite.</exception>
    public static CharacterLanguageModel Train(string text, CharacterLanguageModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var o = options ?? new CharacterLanguageModelOptions();
        o.Validate();
        int steps = o.SequenceLength;
        int trainLength = (int)Math.Round(text.Length * (1 - o.ValidationFraction));
        if (trainLength < steps + 1 || text.Length - trainLength < steps + 1)
            throw new ArgumentException(
                $"The text has {text.Length:N0} characters: too few for a training and a validation window of {steps + 1} characters each " +
                $"(SequenceLength {steps} + 1) with ValidationFraction {o.ValidationFraction}. Give more text or lower SequenceLength.", nameof(text));
        var vocabulary = text.AsSpan(0, trainLength).ToArray().Distinct().Order().ToArray();
        var network = new Sequential(Design(vocabulary.Length, o), [steps], Activation.Softmax, new Rng((ulong)o.Seed));
        var model = new CharacterLanguageModel(vocabulary, network, steps, o.CellType, null);
        var trainIds = model.Encode(text.AsSpan(0, trainLength), 0, "The training text");
        var validationIds = model.Encode(text.AsSpan(trainLength), trainLength, "The validation part of the text");
        return new CharacterLanguageModel(vocabulary, network, steps, o.CellType, model.Fit(trainIds, validationIds, o));
    }

    private static List<LayerSpec> Design(int vocabulary, CharacterLanguageModelOptions o)
    {
        string kind = o.CellType switch { RecurrentCellType.Rnn => LayerKinds.SimpleRnn, RecurrentCellType.Gru => LayerKinds.Gru, _ => LayerKinds.Lstm };
        var specs = new List<LayerSpec> { new LayerSpec { Kind = LayerKinds.Embedding, Name = "embedding" }.With("vocab", vocabulary).With("dim", o.EmbeddingDimension) };
        for (int l = 0; l < o.Layers; l++)
            specs.Add(new LayerSpec { Kind = kind, Name = $"{o.CellType.ToString().ToLowerInvariant()}{l + 1}" }
                .With("units", o.HiddenSize).With("returnSequences", true));
        specs.Add(new LayerSpec { Kind = LayerKinds.TimeDistributedDense, Name = "output" }.With("units", vocabulary));
        return specs;
    }

    private LanguageModelTraining Fit(int[] trainIds, int[] validationIds, CharacterLanguageModelOptions o)
    {
        int steps = SequenceLength;
        var train = CharacterWindows.Rows(trainIds, steps, "The training text");
        var validation = CharacterWindows.Rows(validationIds, steps, "The validation text");
        var adapter = new CharacterWindows.Adapter(steps);
        var loss = new SequenceSoftmaxCrossEntropyLoss();
        var evaluations = new List<LanguageModelEvaluation>();
        var clock = Stopwatch.StartNew();
        var reporter = new EvaluationReporter(steps, evaluations, o.Evaluations, clock);
        var history = TrainingLoop.Run(new TrainingSetup
        {
            Network = Network,
            Loss = loss,
            Optimizer = new Adam(),
            LearningRate = o.LearningRate,
            ClipNorm = o.GradientClipNorm,
            Epochs = o.Epochs,
            BatchSize = o.BatchSize,
            Seed = (ulong)o.Seed,
            TimeLimit = o.TimeLimit,
            Data = train,
            Adapter = adapter,
            Callbacks = [new ValidationCallback(validation, o.BatchSize), reporter],
            Source = "CharacterLanguageModel",
            Cancellation = o.Cancellation,
        });
        double trainSeconds = history.Epochs.Sum(e => e.Seconds);
        long trained = history.Epochs.Sum(e => e.Samples) * steps;
        var (entropy, crossEntropy) = Unigram(trainIds, validationIds, _vocabulary.Length);
        return new LanguageModelTraining(evaluations, trainIds.Length, validationIds.Length, entropy, crossEntropy,
            trainSeconds > 0 ? trained / trainSeconds : 0, clock.Elapsed.TotalSeconds, history.StoppedEarly, o.Seed);
    }

    // The entropy of the training part's character frequencies, and the validation part's cross-entropy under them.
    private static (double Entropy, double ValidationCrossEntropy) Unigram(int[] trainIds, int[] validationIds, int vocabulary)
    {
        var counts = new long[vocabulary];
        foreach (int id in trainIds) counts[id]++;
        double n = trainIds.Length, entropy = 0, cross = 0;
        foreach (long c in counts) if (c > 0) entropy -= c / n * Math.Log(c / n);
        foreach (int id in validationIds) cross -= Math.Log(counts[id] / n);
        return (entropy, validationIds.Length > 0 ? cross / validationIds.Length : double.NaN);
    }

    /// <summary>Mean loss of the model on the windows of <paramref name="text"/>, nats per character (as validation measures it).</summary>
    /// <exception cref="UnknownCharacterException">The text holds a character the vocabulary does not.</exception>
    /// <exception cref="ArgumentException">The text is shorter than one window (SequenceLength + 1 characters).</exception>
    public double Evaluate(string text, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < SequenceLength + 1)
            throw new ArgumentException($"The text has {text.Length} characters; evaluation needs at least one window of {SequenceLength + 1}.", nameof(text));
        var rows = CharacterWindows.Rows(Encode(text, 0, "The text", nameof(text)), SequenceLength, "The text");
        return NetworkEvaluation.Evaluate(Network, new SequenceSoftmaxCrossEntropyLoss(), new CharacterWindows.Adapter(SequenceLength), rows, batchSize).Loss;
    }

    /// <summary>
    /// Samples <paramref name="length"/> characters following <paramref name="prime"/> and returns them (without the
    /// prime). The prime is read in one stateful pass, then each sampled character is fed back alone, the recurrent
    /// state carried from step to step. Each character is drawn from softmax(z / <paramref name="temperature"/>) with
    /// the project's RNG seeded by <paramref name="seed"/>; a temperature of 0 or less takes the most likely character
    /// (greedy). The same arguments give the same text.
    /// </summary>
    /// <exception cref="UnknownCharacterException">The prime holds a character the vocabulary does not (the message names it and its position).</exception>
    /// <exception cref="ArgumentException">The prime is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative, or the temperature is not a number.</exception>
    public string Generate(string prime, int length, float temperature = 1f, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(prime);
        if (prime.Length == 0) throw new ArgumentException("The prime is empty; give at least one character to start from.", nameof(prime));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (float.IsNaN(temperature) || float.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a finite number (0 or less: greedy).");
        var ids = Encode(prime, 0, "The prime", nameof(prime));
        var rng = new Rng((ulong)seed);
        int v = _vocabulary.Length;
        var probabilities = new double[v];
        var output = new char[length];
        Network.ResetState();
        var logits = Network.ForwardStateful(new Tensor(ids.Select(i => (float)i).ToArray(), 1, ids.Length));
        var next = new Tensor(1, 1);
        for (int n = 0; n < length; n++)
        {
            int steps = logits.Length / v;
            int id = Sample(logits.Span.Slice((steps - 1) * v, v), temperature, rng, probabilities);
            output[n] = _vocabulary[id];
            if (n == length - 1) break;
            next.Span[0] = id;
            logits = Network.ForwardStateful(next);
        }
        Network.ResetState();
        return new string(output);
    }

    private static int Sample(ReadOnlySpan<float> z, float temperature, Rng rng, double[] p)
    {
        int best = 0;
        for (int k = 1; k < z.Length; k++) if (z[k] > z[best]) best = k;
        if (temperature <= 0) return best;
        double max = z[best] / (double)temperature, sum = 0;
        for (int k = 0; k < z.Length; k++) sum += p[k] = Math.Exp(z[k] / (double)temperature - max);
        double u = rng.NextDouble() * sum;
        for (int k = 0; k < z.Length; k++)
        {
            u -= p[k];
            if (u < 0) return k;
        }
        return best;   // u rounded to the very top of the last bin
    }

    private int[] Encode(ReadOnlySpan<char> text, int offset, string what, string? paramName = null)
    {
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
            if (!_ids.TryGetValue(text[i], out ids[i]))
                throw new UnknownCharacterException(text[i], offset + i, what, paramName);
        return ids;
    }

    // Turns each epoch's record (validation filled in by the ValidationCallback before it) into an evaluation.
    private sealed class EvaluationReporter(int steps, List<LanguageModelEvaluation> evaluations, IProgress<LanguageModelEvaluation>? progress, Stopwatch clock)
        : ITrainingCallback
    {
        private long _characters;

        public void OnEpochEnd(TrainingState state)
        {
            var record = state.CurrentEpoch!;
            _characters += record.Samples * steps;
            bool partial = state.SamplesPerEpoch is long n && record.Samples < n;
            var e = new LanguageModelEvaluation(record.Epoch, partial, _characters, record.TrainLoss, record.ValidationLoss ?? double.NaN, clock.Elapsed.TotalSeconds);
            evaluations.Add(e);
            progress?.Report(e);
        }
    }
}

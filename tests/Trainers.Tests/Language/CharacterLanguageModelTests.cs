using DlBook.Trainers.Language;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Recurrent;

namespace DlBook.Trainers.Tests.Language;

/// <summary>The character language model on tiny texts (seconds); the tiny-shakespeare run is in models/recurrent.md.</summary>
public sealed class CharacterLanguageModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-lm-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string Abc = string.Concat(Enumerable.Repeat("abc", 400));

    private static CharacterLanguageModelOptions Small(int epochs = 25, RecurrentCellType cell = RecurrentCellType.Lstm, int seed = 1) => new()
    {
        SequenceLength = 12, EmbeddingDimension = 8, HiddenSize = 24, BatchSize = 8, LearningRate = 0.01f,
        Epochs = epochs, CellType = cell, Seed = seed,
    };

    private static float[] Weights(CharacterLanguageModel m) => m.Network.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();

    [Theory]
    [InlineData(RecurrentCellType.Lstm, 1)]
    [InlineData(RecurrentCellType.Gru, 2)]
    public void A_repeating_text_is_learned_to_near_zero_loss_and_greedy_generation_continues_it(RecurrentCellType cell, int layers)
    {
        var o = Small(cell: cell);
        o.Layers = layers;
        var seen = new List<LanguageModelEvaluation>();
        o.Evaluations = new Progress(seen.Add);
        var m = CharacterLanguageModel.Train(Abc, o);
        Assert.Equal(['a', 'b', 'c'], m.Vocabulary);
        var t = m.Training!;
        Assert.Equal(25, t.Evaluations.Count);
        Assert.Equal(t.Evaluations, seen);
        Assert.Equal(1080, t.TrainingCharacters);
        Assert.Equal(120, t.ValidationCharacters);
        Assert.Equal(Math.Log(3), t.UnigramEntropy, 3);   // a, b, c equally often
        Assert.True(t.ValidationLoss < 0.05, $"validation loss {t.ValidationLoss} nats/char");
        Assert.True(t.Evaluations[0].ValidationLoss > t.ValidationLoss);
        Assert.Equal(t.ValidationLoss, m.Evaluate(Abc[1080..]), 4);   // the validation part, measured again
        Assert.Equal("cabcabcabcabcabcabcabcabcabcab", m.Generate("ab", 30, temperature: 0));
        Assert.Equal("bcabcab", m.Generate("a", 7, temperature: 0));
        Assert.False(t.StoppedByTimeLimit);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_the_same_sample_and_another_seed_does_not()
    {
        var text = string.Concat(Enumerable.Range(0, 300).Select(i => i % 7 == 0 ? "ba" : "abc"));
        var a = CharacterLanguageModel.Train(text, Small(epochs: 2));
        var b = CharacterLanguageModel.Train(text, Small(epochs: 2));
        var c = CharacterLanguageModel.Train(text, Small(epochs: 2, seed: 2));
        Assert.Equal(Weights(a), Weights(b));
        Assert.NotEqual(Weights(a), Weights(c));
        Assert.Equal(a.Generate("ab", 100, 1f, seed: 5), b.Generate("ab", 100, 1f, seed: 5));
        Assert.Equal(a.Training!.ValidationLoss, b.Training!.ValidationLoss);
        // Generating again gives the same text: the carried state starts afresh each call.
        Assert.Equal(a.Generate("ab", 100, 1f, seed: 5), a.Generate("ab", 100, 1f, seed: 5));
        Assert.NotEqual(a.Generate("ab", 100, 1f, seed: 5), a.Generate("ab", 100, 1f, seed: 6));
    }

    [Fact]
    public void A_saved_model_loads_with_the_same_weights_vocabulary_figures_and_samples()
    {
        var text = string.Concat(Enumerable.Range(0, 200).Select(i => i % 5 == 0 ? "to be, " : "or not "));
        var m = CharacterLanguageModel.Train(text, Small(epochs: 3, cell: RecurrentCellType.Gru));
        var path = Path.Combine(_dir, "lm.zip");
        m.Save(path);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        var loaded = CharacterLanguageModel.Load(path);
        Assert.Equal(m.Vocabulary, loaded.Vocabulary);
        Assert.Equal(RecurrentCellType.Gru, loaded.CellType);
        Assert.Equal(12, loaded.SequenceLength);
        Assert.Equal(Weights(m), Weights(loaded));
        Assert.Equal(m.Training!.ValidationLoss, loaded.Training!.ValidationLoss);
        Assert.Equal(m.Training.Evaluations.Count, loaded.Training.Evaluations.Count);
        Assert.Equal(m.Generate("to ", 200, 0.8f, seed: 3), loaded.Generate("to ", 200, 0.8f, seed: 3));

        File.WriteAllText(Path.Combine(_dir, "not.zip"), "hello");
        var e = Assert.Throws<ModelFormatException>(() => CharacterLanguageModel.Load(Path.Combine(_dir, "not.zip")));
        Assert.Contains("not.zip", e.Message);
    }

    [Fact]
    public void Temperature_zero_is_greedy_a_small_one_agrees_with_it_and_a_large_one_spreads_the_samples()
    {
        // After 'a' comes 'b' three times in four and 'c' once: the trained model's greedy choice is 'b'.
        var text = string.Concat(Enumerable.Range(0, 500).Select(i => i % 4 == 3 ? "ac" : "ab"));
        var m = CharacterLanguageModel.Train(text, Small(epochs: 8));
        string greedy = m.Generate("a", 200, 0f, seed: 1);
        Assert.Equal(greedy, m.Generate("a", 200, -1f, seed: 99));   // ≤ 0: greedy, whatever the seed
        Assert.Equal(greedy, m.Generate("a", 200, 0.01f, seed: 7));
        static int Distinct(string s) => Enumerable.Range(0, s.Length - 1).Select(i => s.Substring(i, 2)).Distinct().Count();
        string hot = m.Generate("a", 200, 50f, seed: 1);
        // A very high temperature samples nearly uniformly: far more of the 9 pairs of characters than the greedy run has.
        Assert.True(Distinct(hot) > Distinct(greedy) + 2, $"hot {Distinct(hot)} pairs, greedy {Distinct(greedy)}");
        // At temperature 1 the sample follows the text's statistics: after 'a', 'b' about three times in four.
        string s = m.Generate("a", 4000, 1f, seed: 2);
        var afterA = Enumerable.Range(0, s.Length - 1).Where(i => s[i] == 'a').Select(i => s[i + 1]).ToArray();
        Assert.InRange(afterA.Count(ch => ch == 'b') / (double)afterA.Length, 0.6, 0.9);
    }

    [Fact]
    public void Bad_primes_lengths_and_texts_are_rejected_with_typed_errors_that_name_the_problem()
    {
        var m = CharacterLanguageModel.Train(Abc, Small(epochs: 1));
        var e = Assert.Throws<UnknownCharacterException>(() => m.Generate("abz", 10));
        Assert.Equal('z', e.Character);
        Assert.Equal(2, e.Position);
        Assert.Equal("prime", e.ParamName);
        Assert.Contains("'z'", e.Message);
        Assert.Contains("position 2", e.Message);
        Assert.IsAssignableFrom<ArgumentException>(e);
        Assert.Throws<ArgumentException>(() => m.Generate("", 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Generate("a", -1));
        Assert.Equal("", m.Generate("a", 0));
        var shortText = Assert.Throws<ArgumentException>(() => CharacterLanguageModel.Train("abcabc", Small()));
        Assert.Contains("SequenceLength", shortText.Message);
        var unseen = Assert.Throws<UnknownCharacterException>(() => CharacterLanguageModel.Train(Abc + "abcabcxabcabcabc", Small()));
        Assert.Equal('x', unseen.Character);
        Assert.Equal(1206, unseen.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => CharacterLanguageModel.Train(Abc, new CharacterLanguageModelOptions { HiddenSize = 0 }));
    }

    [Fact]
    public void A_time_limit_stops_at_a_mini_batch_boundary_and_still_evaluates()
    {
        var o = Small(epochs: 1000);
        o.TimeLimit = TimeSpan.FromTicks(1); // shorter than any mini-batch, so the first check stops
        var m = CharacterLanguageModel.Train(Abc, o);
        var t = m.Training!;
        Assert.True(t.StoppedByTimeLimit);
        var last = Assert.Single(t.Evaluations);
        Assert.True(last.Partial);
        // One mini-batch of 8 windows of 12 characters ran before the clock was looked at.
        Assert.Equal(8 * 12, last.CharactersTrained);
        Assert.True(double.IsFinite(last.ValidationLoss));
    }

    private sealed class Progress(Action<LanguageModelEvaluation> report) : IProgress<LanguageModelEvaluation>
    {
        public void Report(LanguageModelEvaluation value) => report(value);
    }
}

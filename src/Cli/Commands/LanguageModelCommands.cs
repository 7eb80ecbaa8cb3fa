using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Trainers.Language;
using DlBook.Trainers.Recurrent;
using static DlBook.Cli.Commands.OptionRules;

namespace DlBook.Cli.Commands;

/// <summary>
/// dlbook train lm (a character-level language model on a text file, by epochs or a time budget) and dlbook generate
/// (text sampled from such a model).
/// </summary>
public static class LanguageModelCommands
{
    /// <summary>Builds dlbook train lm.</summary>
    public static Command CreateTrain(Func<CliConsole> console)
    {
        var cmd = new Command("lm", "Train a character-level language model (Embedding → LSTM/GRU → per-step softmax) on a text file; the first 90% trains, the last 10% validates.");
        var text = Opt<string?>("--text", "The text file (UTF-8), e.g. tinyshakespeare/input.txt.");
        var minutes = Float("--minutes", "Stop after this many minutes, at a mini-batch boundary, then evaluate (default: no limit).", 0, minExclusive: true);
        var epochs = Int("--epochs", "Epochs (default 10; 1,000,000 with --minutes, so the time decides).", min: 1);
        var seqLength = Int("--seq-length", "Characters per training window (default 100).", min: 1);
        var embedding = Int("--embedding", "Values per character of the embedding (default 64).", min: 1);
        var hidden = Int("--hidden", "Units per recurrent layer (default 256).", min: 1);
        var layers = Int("--layers", "Stacked recurrent layers (default 1).", min: 1);
        var cell = Choice("--cell", "Lstm (default), Gru or Rnn.", RecurrentCellType.Lstm, RecurrentCellType.Gru, RecurrentCellType.Rnn);
        var batch = Int("--batch-size", "Mini-batch size in windows (default 32).", min: 1);
        var lr = Float("--lr", "Learning rate of Adam (default 0.002).", 0, minExclusive: true);
        var clipNorm = Float("--clip-norm", "Clip gradients to this global norm (default 5).", 0, minExclusive: true);
        var seed = Int("--seed", "Seed, 0 to 2147483647 (default 1). The same seed and thread count give the same bits.", min: 0);
        var outPath = Opt("--out", "Where to write the model (a zip).", "lm.zip");
        foreach (var o in new Option[] { text, minutes, epochs, seqLength, embedding, hidden, layers, cell, batch, lr, clipNorm, seed, outPath })
            cmd.Options.Add(o);
        cmd.SetAction((r, ct) =>
        {
            var c = console();
            var path = r.GetValue(text) ?? throw new ArgumentException("dlbook train lm needs --text <file>.");
            if (!File.Exists(path)) throw new FileNotFoundException($"--text '{path}' does not exist.", path);
            float? limit = r.GetValue(minutes);
            var o = new CharacterLanguageModelOptions
            {
                SequenceLength = r.GetValue(seqLength) ?? 100,
                EmbeddingDimension = r.GetValue(embedding) ?? 64,
                HiddenSize = r.GetValue(hidden) ?? 256,
                Layers = r.GetValue(layers) ?? 1,
                CellType = r.GetValue(cell) ?? RecurrentCellType.Lstm,
                BatchSize = r.GetValue(batch) ?? 32,
                LearningRate = r.GetValue(lr) ?? 2e-3f,
                GradientClipNorm = r.GetValue(clipNorm) ?? 5f,
                Epochs = r.GetValue(epochs) ?? (limit is null ? 10 : 1_000_000),
                TimeLimit = limit is float m ? TimeSpan.FromMinutes(m) : null,
                Seed = r.GetValue(seed) ?? 1,
                Cancellation = ct,
            };
            c.Info(string.Create(CultureInfo.InvariantCulture,
                $"training Embedding {o.EmbeddingDimension} → {o.Layers}×{o.CellType} {o.HiddenSize} → softmax per character on '{Path.GetFileName(path)}': windows of {o.SequenceLength}, " +
                $"mini-batch {o.BatchSize}, Adam η {o.LearningRate}, clip {o.GradientClipNorm}, {(limit is float mm ? $"{mm} min" : TrainCommand.Plural(o.Epochs, "epoch"))}, seed {o.Seed}"));
            o.Evaluations = new SynchronousProgress<LanguageModelEvaluation>(e => c.Info(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {e.Epoch}{(e.Partial ? " (partial)" : "")}: {e.CharactersTrained:N0} chars trained, train {e.TrainLoss:F4}, validation {e.ValidationLoss:F4} nats/char ({e.ValidationBitsPerCharacter:F3} bits/char), {e.Seconds:F0} s")));
            var model = CharacterLanguageModel.TrainFile(path, o);
            var modelPath = r.GetValue(outPath)!;
            model.Save(modelPath);
            var t = model.Training!;
            var json = JsonSerializer.SerializeToNode(t, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals })!.AsObject();
            json["validationBitsPerCharacter"] = t.ValidationLoss / Math.Log(2);
            json["vocabulary"] = model.Vocabulary.Count;
            json["model"] = Path.GetFullPath(modelPath);
            c.WriteJson(json);
            c.Result(string.Create(CultureInfo.InvariantCulture,
                $"validation loss {t.ValidationLoss:F4} nats/char ({t.ValidationLoss / Math.Log(2):F3} bits/char) after {t.Seconds:F0} s" +
                $"{(t.StoppedByTimeLimit ? " (time limit)" : "")}, {t.CharactersPerSecond:N0} chars/s; the training text's unigram entropy is {t.UnigramEntropy:F4} nats/char " +
                $"(validation under it {t.UnigramValidationLoss:F4}); {model.Vocabulary.Count} characters; model written to {Path.GetFullPath(modelPath)}"));
            return Task.FromResult(0);
        });
        return cmd;
    }

    /// <summary>Builds dlbook generate.</summary>
    public static Command CreateGenerate(Func<CliConsole> console)
    {
        var cmd = new Command("generate", "Sample text from a character language model (dlbook train lm), starting from a prime.");
        var model = Opt<string?>("--model", "The model zip written by dlbook train lm.");
        var prime = Opt<string?>("--prime", "The text to start from (default: a newline).");
        var length = Int("--length", "Characters to generate (default 300).", 300, min: 0, max: 10_000_000);
        var temperature = Float("--temperature", "Sampling temperature (default 1); 0 picks the most likely character each time.", 0);
        var seed = Int("--seed", "Seed of the sampling, 0 to 2147483647 (default 1).", min: 0);
        foreach (var o in new Option[] { model, prime, length, temperature, seed }) cmd.Options.Add(o);
        cmd.SetAction((r, _) =>
        {
            var c = console();
            var path = r.GetValue(model) ?? throw new ArgumentException("dlbook generate needs --model <lm.zip>.");
            var lm = CharacterLanguageModel.Load(path);
            string start = r.GetValue(prime) ?? "\n";
            float temp = r.GetValue(temperature) ?? 1f;
            int usedSeed = r.GetValue(seed) ?? 1;
            string generated;
            try { generated = lm.Generate(start, r.GetValue(length), temp, usedSeed); }
            catch (UnknownCharacterException e) when (e.ParamName == "prime")
            {
                throw new ArgumentException($"--prime: {e.Message}", e);
            }
            c.WriteJson(new JsonObject { ["prime"] = start, ["text"] = generated, ["temperature"] = temp, ["seed"] = usedSeed, ["model"] = Path.GetFullPath(path) });
            if (!c.Json) c.Out.WriteLine(start + generated);
            return Task.FromResult(0);
        });
        return cmd;
    }
}

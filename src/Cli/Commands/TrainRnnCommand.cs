using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Trainers.Networks;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Recurrent;
using DlBook.Trainers.Reports;
using DlBook.Trainers.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using static DlBook.Cli.Commands.OptionRules;

namespace DlBook.Cli.Commands;

/// <summary>
/// dlbook train rnn: a vanilla RNN, LSTM or GRU on the built-in long-range tasks (the adding problem, the memory task)
/// or on a univariate time series from a CSV, evaluated on held-out rows, with ‖∂C/∂h_t‖ at initialisation and after
/// training (the vanishing gradient through time, chapters 48–52).
/// </summary>
public static class TrainRnnCommand
{
    /// <summary>The tasks --task takes.</summary>
    public enum RnnTask
    {
        /// <summary>The adding problem (regression; predicting 1 gives MSE ≈ 0.167).</summary>
        Adding,
        /// <summary>The memory task (classify the first of 8 symbols after --length steps).</summary>
        Memory,
        /// <summary>Forecast the next value of a time series (--series file.csv --column Name), against the last-value forecast.</summary>
        Series,
        /// <summary>Classify texts (--text file: label TAB text per line, e.g. SMS spam) read as word keys through ML.NET's text transforms.</summary>
        Text,
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("rnn", "Train a vanilla RNN, LSTM or GRU on the adding problem, the memory task or a time series, and show the gradient through time.");
        var task = Choice("--task", "Adding (default), Memory or Series.", Enum.GetValues<RnnTask>());
        var cell = Choice("--cell", "Rnn, Lstm (default) or Gru.", Enum.GetValues<RecurrentCellType>());
        var length = Int("--length", "Sequence length T of the synthetic tasks, or the window of --task Series (default 100; Series 12).", min: 2);
        var rows = Int("--rows", "Training rows of the synthetic tasks (default 10,000).", min: 1);
        var testRows = Int("--test-rows", "Held-out rows of the synthetic tasks (default 1,000).", min: 1);
        var series = Opt<string?>("--series", "CSV file of --task Series (one value per line after a header, in time order).");
        var column = Opt<string?>("--column", "Value column of --series (default: the last column).");
        var testFraction = Float("--test-fraction", "Share of the series (its end) held out for --task Series (default 0.33).", 0, minExclusive: true, maxExclusive: 1);
        var text = Opt<string?>("--text", "File of --task Text: one 'label<TAB>text' per line (the SMS Spam Collection's format).");
        var maxTokens = Int("--max-tokens", "--task Text: words read per text (longer ones keep their first words; default 50).", min: 1);
        var vocabulary = Int("--vocabulary", "--task Text: most frequent words kept, the rest map to the padding id (default 10,000).", min: 1);
        var embedding = Int("--embedding", "--task Text: values per word of the embedding (default 64).", min: 1);
        var difference = Bool("--difference", "--task Series: forecast the change from the last value (a series with a trend leaves the range the net was trained on).");
        var hidden = Int("--hidden", "Units per recurrent layer (default 128).", min: 1);
        var layers = Int("--layers", "Stacked recurrent layers (default 1).", min: 1);
        var bidirectional = Bool("--bidirectional", "Run each recurrent layer both ways.");
        var epochs = Int("--epochs", "Epochs (default 10).", min: 1);
        var batch = Int("--batch-size", "Mini-batch size (default 32).", min: 1);
        var lr = Float("--lr", "Learning rate of Adam (default 0.001).", 0, minExclusive: true);
        var clipNorm = Float("--clip-norm", "Clip gradients to this global norm (default 1).", 0, minExclusive: true);
        var bptt = Int("--bptt", "Truncated backpropagation through time: steps back from the end (default: all).", min: 1);
        var seed = Int("--seed", "Seed, 0 to 2147483647 (default 1). The same seed and thread count give the same bits.", min: 0);
        var outPath = Opt("--out", "Where to write the model (an ML.NET model zip).", "rnn.zip");
        foreach (var o in new Option[] { task, cell, length, rows, testRows, series, column, testFraction, difference, text, maxTokens, vocabulary, embedding, hidden, layers, bidirectional, epochs, batch, lr, clipNorm, bptt, seed, outPath })
            cmd.Options.Add(o);

        cmd.SetAction((r, ct) =>
        {
            var c = console();
            var t = r.GetValue(task) ?? RnnTask.Adding;
            if (t != RnnTask.Series && (r.Given(series) || r.Given(column) || r.Given(testFraction) || r.Given(difference)))
                throw new ArgumentException("--series, --column, --test-fraction and --difference go with --task Series.");
            if (t != RnnTask.Text && (r.Given(text) || r.Given(maxTokens) || r.Given(vocabulary) || r.Given(embedding)))
                throw new ArgumentException("--text, --max-tokens, --vocabulary and --embedding go with --task Text.");
            if (t is RnnTask.Series or RnnTask.Text && (r.Given(rows) || r.Given(testRows)))
                throw new ArgumentException("--rows and --test-rows go with --task Adding or Memory; a series is split by --test-fraction.");
            int usedSeed = r.GetValue(seed) ?? 1;
            var o = new RecurrentOptions
            {
                CellType = r.GetValue(cell) ?? RecurrentCellType.Lstm,
                HiddenSize = r.GetValue(hidden) ?? 128,
                Layers = r.GetValue(layers) ?? 1,
                Bidirectional = r.GetValue(bidirectional) ?? false,
                Epochs = r.GetValue(epochs) ?? 10,
                BatchSize = r.GetValue(batch) ?? 32,
                LearningRate = r.GetValue(lr) ?? 0.001f,
                GradientClipNorm = r.GetValue(clipNorm) ?? 1f,
                BpttSteps = r.GetValue(bptt) ?? 0,
                Seed = usedSeed,
                Cancellation = ct,
                GradientMonitorSamples = 256,
            };
            var ml = new MLContext(seed: usedSeed);
            ml.Log += (_, e) => { if (e.Kind is ChannelMessageKind.Warning or ChannelMessageKind.Error) c.Warn(e.RawMessage); };
            IDataView train, test;
            string what;
            ITransformer? textSteps = null;
            bool binaryText = false;
            float scale = 1;
            double? naive = null;
            if (t == RnnTask.Series)
            {
                var path = r.GetValue(series) ?? throw new ArgumentException("--task Series needs --series <file.csv>.");
                int window = r.GetValue(length) ?? 12;
                (train, test, scale, naive, what) = Series(ml, path, r.GetValue(column), window, r.GetValue(testFraction) ?? 0.33f, r.GetValue(difference) ?? false);
            }
            else if (t == RnnTask.Text)
            {
                var path = r.GetValue(text) ?? throw new ArgumentException("--task Text needs --text <file> (label TAB text per line).");
                float fraction = r.GetValue(testFraction) ?? 0.2f;
                (train, test, binaryText, what) = Texts(ml, path, fraction, usedSeed);
                o.MaxSequenceLength = r.GetValue(maxTokens) ?? 50;
                o.EmbeddingDimension = r.GetValue(embedding) ?? 64;
                o.FeatureColumnName = "Tokens";
                textSteps = ml.Transforms.Text.NormalizeText("Text")
                    .Append(ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text"))
                    .Append(ml.Transforms.Conversion.MapValueToKey("Tokens", maximumNumberOfKeys: r.GetValue(vocabulary) ?? 10_000))
                    .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
                    .Fit(train);
                train = textSteps.Transform(train);
                test = textSteps.Transform(test);
            }
            else
            {
                int n = r.GetValue(length) ?? 100, nTrain = r.GetValue(rows) ?? 10_000, nTest = r.GetValue(testRows) ?? 1_000;
                train = t == RnnTask.Adding ? ml.Data.LoadAddingProblem(nTrain, n, usedSeed) : ml.Data.LoadMemoryTask(nTrain, n, usedSeed);
                test = t == RnnTask.Adding ? ml.Data.LoadAddingProblem(nTest, n, usedSeed + 1_000_003) : ml.Data.LoadMemoryTask(nTest, n, usedSeed + 1_000_003);
                what = string.Create(CultureInfo.InvariantCulture, $"the {(t == RnnTask.Adding ? "adding problem" : "memory task")} at T = {n}, {nTrain:N0} training and {nTest:N0} test rows");
            }
            c.Info(string.Create(CultureInfo.InvariantCulture,
                $"training {(o.Bidirectional ? "bidirectional " : "")}{o.CellType} {o.HiddenSize}×{o.Layers} on {what}: {TrainCommand.Plural(o.Epochs, "epoch")}, mini-batch {o.BatchSize}, Adam η {o.LearningRate}, clip {o.GradientClipNorm}, seed {usedSeed}"));
            int lastEpoch = 0;
            o.Progress = new SynchronousProgress<TrainingProgress>(p =>
            {
                if (!c.ShowsProgress || p.Epoch == lastEpoch || p.SamplesPerEpoch == 0 || p.SamplesDone < p.SamplesPerEpoch) return;
                lastEpoch = p.Epoch;
                c.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:F5}, {p.SamplesPerSecond:N0} sequences/s"));
            });
            var started = DateTime.UtcNow;
            NetworkTransformer model = t == RnnTask.Memory || (t == RnnTask.Text && !binaryText)
                ? ml.MulticlassClassification.Trainers.Recurrent(o).Fit(train)
                : t == RnnTask.Text ? ml.BinaryClassification.Trainers.Recurrent(o).Fit(train)
                : ml.Regression.Trainers.Recurrent(o).Fit(train);
            var elapsed = DateTime.UtcNow - started;
            var modelPath = r.GetValue(outPath)!;
            if (textSteps is not null) ModelFiles.Save(ml, new TransformerChain<ITransformer>(textSteps, model), (r.GetValue(text) is { } tp ? RawTexts(ml, tp) : train).Schema, modelPath);
            else ModelFiles.Save(ml, model, train.Schema, modelPath);

            var h = model.History!;
            var json = TrainingReport.HistoryToJson(h);
            string metric;
            if (t == RnnTask.Text)
            {
                var scored = model.Transform(test);
                double acc = binaryText ? ml.BinaryClassification.Evaluate(scored).Accuracy : ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;
                double majority = MajorityShare(ml, test);
                json["testAccuracy"] = acc;
                json["majorityClassAccuracy"] = majority;
                metric = string.Create(CultureInfo.InvariantCulture, $"test accuracy {acc:P2} (always the most frequent class: {majority:P2})");
            }
            else if (t == RnnTask.Memory)
            {
                var m = ml.MulticlassClassification.Evaluate(model.Transform(test));
                json["testAccuracy"] = m.MicroAccuracy;
                metric = string.Create(CultureInfo.InvariantCulture, $"test accuracy {m.MicroAccuracy:P2} (guessing: 12.50%)");
            }
            else
            {
                var m = ml.Regression.Evaluate(model.Transform(test));
                double mse = m.MeanSquaredError * scale * scale, rmse = Math.Sqrt(mse);
                json["testMse"] = mse;
                json["testRmse"] = rmse;
                if (naive is double nv) json["naiveRmse"] = nv;
                metric = t == RnnTask.Adding
                    ? string.Create(CultureInfo.InvariantCulture, $"test MSE {mse:F4} (predicting 1 everywhere: ≈ 0.167)")
                    : string.Create(CultureInfo.InvariantCulture, $"test RMSE {rmse:G4} (last-value forecast: {naive:G4})");
            }
            string Ratio(IReadOnlyList<double>? n) => n is { Count: > 0 } && n[^1] > 0 ? (n[0] / n[^1]).ToString("G3", CultureInfo.InvariantCulture) : "-";
            json["stepGradientRatioAtInit"] = Ratio(h.InitialStepGradientNorms);
            json["stepGradientRatioAtEnd"] = Ratio(h.Last?.StepGradientNorms);
            json["model"] = Path.GetFullPath(modelPath);
            json["seed"] = usedSeed;
            json["seconds"] = elapsed.TotalSeconds;
            c.WriteJson(json);
            if (!c.Json)
                c.Result(string.Create(CultureInfo.InvariantCulture,
                    $"trained {TrainCommand.Plural(h.Epochs.Count, "epoch")} in {elapsed.TotalSeconds:F1} s: {metric}; ‖∂C/∂h_0‖/‖∂C/∂h_T‖ {Ratio(h.InitialStepGradientNorms)} at initialisation, {Ratio(h.Last?.StepGradientNorms)} after training; model written to {Path.GetFullPath(modelPath)}"));
            return Task.FromResult(0);
        });
        return cmd;
    }

    // A univariate CSV series (or its first differences), scaled to 0..1 by the training part's range, windowed, split
    // in time order; the last-value forecast's RMSE on the same test values is the baseline. Forecasting a difference
    // d̂ means v̂_t = v_t−1 + d̂, so its error is the value's error and the RMSE is in the series' units either way.
    private static (IDataView Train, IDataView Test, float Scale, double Naive, string What) Series(MLContext ml, string path, string? column, int window, float testFraction, bool difference)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--series '{path}' does not exist.", path);
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length < 2) throw new Pipelines.Data.DataFormatException($"--series '{path}' has no data rows after its header.");
        var header = lines[0].Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        int index = column is null ? header.Length - 1 : Array.IndexOf(header, column);
        if (index < 0) throw new ArgumentException($"--column '{column}' is not a column of '{path}' (its columns: {string.Join(", ", header)}).");
        var values = new float[lines.Length - 1];
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (index >= cells.Length || !float.TryParse(cells[index].Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i - 1]) || !float.IsFinite(values[i - 1]))
                throw new Pipelines.Data.DataFormatException(path, $"line {i + 1}, column '{header[index]}'", $"'{(index < cells.Length ? cells[index] : "")}' is not a number.", "Fix or drop the line.");
        }
        int nTest = (int)Math.Round(values.Length * testFraction);
        if (values.Length - nTest - (difference ? 1 : 0) < window + 1 || nTest < 1)
            throw new Pipelines.Data.DataFormatException($"--series '{path}' has {values.Length} values: too few for --length {window} with --test-fraction {testFraction} (the training part needs a window plus one, the test part one value).");
        double naive = Math.Sqrt(Enumerable.Range(values.Length - nTest, nTest).Average(i => (double)(values[i] - values[i - 1]) * (values[i] - values[i - 1])));
        if (difference) values = Enumerable.Range(1, values.Length - 1).Select(i => values[i] - values[i - 1]).ToArray();
        int nTrain = values.Length - nTest;
        float min = values[..nTrain].Min(), max = values[..nTrain].Max(), scale = max > min ? max - min : 1;
        var scaled = values.Select(v => (v - min) / scale).ToArray();
        var trainView = ml.Data.CreateWindows(ml.Data.LoadFromEnumerable(scaled[..nTrain].Select(v => new Value { V = v })), "V", window);
        // Test windows predict each held-out value from the window before it (which may reach into the training part).
        var testView = ml.Data.CreateWindows(ml.Data.LoadFromEnumerable(scaled[(nTrain - window)..].Select(v => new Value { V = v })), "V", window);
        return (trainView, testView, scale, naive,
            string.Create(CultureInfo.InvariantCulture, $"'{Path.GetFileName(path)}' column '{header[index]}'{(difference ? " (first differences)" : "")}, windows of {window}, {nTrain} training and {nTest} test values"));
    }

    // label TAB text per line; a stratified split (each label's rows in file order, every k-th to the test set).
    private static (IDataView Train, IDataView Test, bool Binary, string What) Texts(MLContext ml, string path, float testFraction, int seed)
    {
        var rows = ReadTexts(path);
        var labels = rows.Select(x => x.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (labels.Length < 2) throw new Pipelines.Data.DataFormatException($"--text '{path}' has only the label '{labels.FirstOrDefault()}'; a classifier needs two or more.");
        var rng = new Engine.Random.Rng((ulong)seed);
        var test = new List<TextRow>();
        var train = new List<TextRow>();
        foreach (var group in rows.GroupBy(x => x.Label))
        {
            var g = group.ToArray();
            for (int i = g.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (g[i], g[j]) = (g[j], g[i]); }
            int nTest = (int)Math.Round(g.Length * testFraction);
            // Else the test part lacks the label and ML.NET's evaluator fails ("AUC is not defined…") naming no file.
            if (nTest < 1 || nTest == g.Length)
                throw new Pipelines.Data.DataFormatException(path, $"label '{group.Key}'",
                    $"it has {g.Length:N0} text{(g.Length == 1 ? "" : "s")}, too few for a split with training and test texts of every label.",
                    "Give each label more texts, or fix the lines whose first field is not a label.");
            test.AddRange(g[..nTest]);
            train.AddRange(g[nTest..]);
        }
        return (ml.Data.LoadFromEnumerable(train), ml.Data.LoadFromEnumerable(test), labels.Length == 2,
            string.Create(CultureInfo.InvariantCulture, $"'{Path.GetFileName(path)}' ({rows.Count:N0} texts, labels {string.Join("/", labels)}), a stratified split of {train.Count:N0} training and {test.Count:N0} test texts"));
    }

    private static IDataView RawTexts(MLContext ml, string path) => ml.Data.LoadFromEnumerable(ReadTexts(path).Take(1));

    private static List<TextRow> ReadTexts(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--text '{path}' does not exist.", path);
        var rows = new List<TextRow>();
        int line = 0;
        foreach (var l in File.ReadLines(path))
        {
            line++;
            if (l.Length == 0) continue;
            int tab = l.IndexOf('\t');
            if (tab <= 0) throw new Pipelines.Data.DataFormatException(path, $"line {line}", "it has no 'label<TAB>text'.", "Give one label, a TAB and the text per line.");
            rows.Add(new TextRow { Label = l[..tab], Text = l[(tab + 1)..] });
        }
        if (rows.Count == 0) throw new Pipelines.Data.DataFormatException($"--text '{path}' holds no texts.");
        return rows;
    }

    private static double MajorityShare(MLContext ml, IDataView data)
    {
        var col = data.Schema["Label"];
        using var cursor = data.GetRowCursor([col]);
        var get = cursor.GetGetter<uint>(col);
        var counts = new Dictionary<uint, int>();
        uint k = 0;
        int n = 0;
        while (cursor.MoveNext()) { get(ref k); counts[k] = counts.GetValueOrDefault(k) + 1; n++; }
        return n == 0 ? 0 : (double)counts.Values.Max() / n;
    }

    private sealed class TextRow
    {
        public string Label { get; set; } = "";
        public string Text { get; set; } = "";
    }

    private sealed class Value
    {
        public float V { get; set; }
    }
}

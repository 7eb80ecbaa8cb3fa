using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DlBook.Trainers.Experiments;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace DlBook.BookExperiments;

/// <summary>
/// Runs the book's MNIST experiments (chapters 25 and 34) and writes their results as JSON, for
/// models/book-mlp.md. Usage: <c>dotnet run -c Release --project models/tools/BookExperiments -- &lt;speeds|curves|ch34|ch25|all&gt;
/// [--data ../shared/data/mnist] [--out models/results] [--epochs N] [--seeds N] [--deep-seeds N] [--first-seed N] [--sizes 784,30,30,10]</c>.
/// </summary>
public static class Program
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private static readonly int[][] Deep = [[784, 30, 30, 10], [784, 30, 30, 30, 10], [784, 30, 30, 30, 30, 10]];

    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("speeds" or "curves" or "ch34" or "ch25" or "all"))
        {
            Console.Error.WriteLine("usage: BookExperiments <speeds|curves|ch34|ch25|all> [--data DIR] [--out DIR] [--epochs N] [--seeds N]");
            return 2;
        }
        string Opt(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var data = Opt("--data", Path.Combine("..", "shared", "data", "mnist"));
        var outDir = Opt("--out", Path.Combine("models", "results"));
        int epochs = int.Parse(Opt("--epochs", "30"), CultureInfo.InvariantCulture);
        int seeds = int.Parse(Opt("--seeds", "3"), CultureInfo.InvariantCulture);
        int firstSeed = int.Parse(Opt("--first-seed", "1"), CultureInfo.InvariantCulture);
        int deepSeeds = int.Parse(Opt("--deep-seeds", "1"), CultureInfo.InvariantCulture);
        var only = Opt("--sizes", "");
        Directory.CreateDirectory(outDir);

        var ml = new MLContext(seed: 1);
        ml.Log += (_, e) => { if (e.Kind >= ChannelMessageKind.Info && e.Source.StartsWith("Mlp", StringComparison.Ordinal)) Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {e.Message}"); };
        var raw = ml.Data.LoadFromIdx(Path.Combine(data, "train-images-idx3-ubyte.gz"), Path.Combine(data, "train-labels-idx1-ubyte.gz"));
        var book = new DlBook.Trainers.Experiments.BookExperiments(ml, raw);
        var what = args[0];

        if (what is "speeds" or "all")
            Save(outDir, "learning-speeds-at-init.json", Deep.Select(s => book.LearningSpeedAtInit(s, seeds: 10, samples: 1000)).ToList());
        if (what is "curves" or "all")
            Save(outDir, "training-speed-curves.json", Deep.Select(s => Timed($"curve {Name(s)}", () => book.TrainingSpeedCurves(s, epochs: 500))).ToList());
        if (what is "ch34" or "all")
        {
            // The book's table: 3 seeds for the two shallower nets, --deep-seeds (1) for the deeper two; --sizes picks one net.
            var plan = new List<(int[] Sizes, int Seeds)> { ([784, 30, 10], seeds), ([784, 30, 30, 10], seeds), ([784, 30, 30, 30, 10], deepSeeds), ([784, 30, 30, 30, 30, 10], deepSeeds) };
            if (only.Length > 0) plan = [(only.Split(',').Select(int.Parse).ToArray(), seeds)];
            var runs = new List<BookRunResult>();
            foreach (var (s, n) in plan)
                for (int seed = firstSeed; seed < firstSeed + n; seed++) runs.Add(Timed($"ch34 {Name(s)} seed {seed}", () => book.Chapter34Table(s, seed, epochs)));
            Save(outDir, only.Length > 0 ? $"chapter34-{only.Replace(',', '-')}-seeds{firstSeed}-{firstSeed + seeds - 1}.json" : "chapter34-table.json", runs);
        }
        if (what is "ch25" or "all")
        {
            var runs = new List<BookRunResult>();
            foreach (var s in new[] { new[] { 784, 30, 10 }, [784, 100, 10] })
                foreach (var init in new[] { DlBook.Trainers.Experiments.BookExperiments.LargeInit, DlBook.Trainers.Experiments.BookExperiments.DefaultInit })
                    runs.Add(Timed($"ch25 {Name(s)} {init}", () => book.Chapter25InitComparison(s, init, seed: 1, epochs)));
            Save(outDir, "chapter25-init.json", runs);
        }
        return 0;
    }

    private static string Name(int[] sizes) => "[" + string.Join(",", sizes) + "]";

    private static T Timed<T>(string label, Func<T> run)
    {
        var sw = Stopwatch.StartNew();
        var r = run();
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} done {label} in {sw.Elapsed.TotalSeconds:F1} s");
        if (r is BookRunResult b)
            Console.WriteLine($"    final {b.Final:P2}, best {b.Best:P2}, epoch 1 {b.ValidationAccuracy[0]:P2}, {b.SamplesPerSecond:F0} samples/s");
        return r;
    }

    private static void Save<T>(string dir, string file, T value)
    {
        var path = Path.Combine(dir, file);
        File.WriteAllText(path, JsonSerializer.Serialize(value, Json));
        Console.WriteLine($"wrote {path}");
    }
}

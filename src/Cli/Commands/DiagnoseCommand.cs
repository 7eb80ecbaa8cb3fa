using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Trainers.Experiments;
using Microsoft.ML;
using Spectre.Console;
using static DlBook.Cli.Commands.OptionRules;

namespace DlBook.Cli.Commands;

/// <summary>dlbook diagnose: chapter 34's learning speed per hidden layer at initialisation (and optionally during full-batch training).</summary>
public static class DiagnoseCommand
{
    // Nielsen's ‖mean δˡ‖ at initialisation (generate_gradient.py), for the book's networks.
    private static readonly Dictionary<string, double[]> Book = new()
    {
        ["784,30,30,10"] = [0.0657, 0.309],
        ["784,30,30,30,10"] = [0.01184, 0.05997, 0.28314],
        ["784,30,30,30,30,10"] = [0.002975, 0.01708, 0.06954, 0.28514],
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var cmd = new Command("diagnose", "Learning speed ‖∂C/∂bˡ‖ of each hidden layer (chapter 34) for an MLP architecture on MNIST, at initialisation and, with --epochs, during full-batch training.");
        var sizes = new Option<string>("--sizes") { Description = "Layer sizes of an MNIST MLP: 784, the hidden layers, 10 (e.g. 784,30,30,30,10).", DefaultValueFactory = _ => "784,30,30,10" };
        sizes.Validators.Add(r =>
        {
            if (r.Implicit) return;
            var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
            if (SizesError(text) is { } error) r.AddError(error);
        });
        var seeds = Int("--seeds", "Seeds to average over (1, 2, … N).", 10, min: 1);
        var samples = Int("--samples", "Training images the gradient is averaged over (book: 1,000; at most 50,000).", 1000, min: 1, max: 50_000);
        var epochs = Int("--epochs", "Also run this many epochs of full-batch gradient descent on those images (book: 500) and show the speeds per epoch.", 0, min: 0);
        cmd.Options.Add(sizes); cmd.Options.Add(seeds); cmd.Options.Add(samples); cmd.Options.Add(epochs);
        cmd.SetAction(r =>
        {
            var c = console();
            var s = TrainCommand.ParseSizes(r.GetValue(sizes)!, "--sizes");
            var ml = new MLContext(seed: 1);
            ml.Log += (_, e) => { if (e.Kind is Microsoft.ML.Runtime.ChannelMessageKind.Warning) c.Warn(e.RawMessage); };
            var (img, lbl) = DataInput.IdxFiles("mnist", "train", r.GetValue(CommonOptions.DataDir));
            var experiments = new BookExperiments(ml, ml.Data.LoadFromIdx(img, lbl));
            var stats = experiments.LearningSpeedAtInit(s, r.GetValue(seeds), r.GetValue(samples));
            Book.TryGetValue(string.Join(",", s), out var book);
            var json = new JsonObject
            {
                ["sizes"] = new JsonArray(s.Select(x => (JsonNode)x).ToArray()), ["samples"] = stats.Samples, ["seeds"] = stats.Seeds.Count,
                ["mean"] = new JsonArray(stats.Mean.Select(x => (JsonNode)x).ToArray()),
                ["std"] = new JsonArray(stats.StdDev.Select(x => (JsonNode)x).ToArray()),
                ["book"] = book is null ? null : new JsonArray(book.Select(x => (JsonNode)x).ToArray()),
            };
            var table = new Table().AddColumns("hidden layer", "‖∂C/∂b‖ mean", "std", "book", "ratio to next layer", "book ratio");
            for (int l = 0; l < stats.Mean.Length; l++)
            {
                string ratio = l + 1 < stats.Mean.Length ? (stats.Mean[l] / stats.Mean[l + 1]).ToString("F3", CultureInfo.InvariantCulture) : "-";
                string bookRatio = book is not null && l + 1 < book.Length ? (book[l] / book[l + 1]).ToString("F3", CultureInfo.InvariantCulture) : "-";
                table.AddRow((l + 1).ToString(CultureInfo.InvariantCulture), stats.Mean[l].ToString("G4", CultureInfo.InvariantCulture),
                    stats.StdDev[l].ToString("G3", CultureInfo.InvariantCulture), book?[l].ToString("G4", CultureInfo.InvariantCulture) ?? "-", ratio, bookRatio);
            }
            c.Render(new Markup($"[bold]Learning speed at initialisation[/], {Markup.Escape($"[{string.Join(",", s)}]")}, ‖mean δˡ‖ over the first {TrainCommand.Plural(stats.Samples, "MNIST training image")}, {TrainCommand.Plural(stats.Seeds.Count, "seed")}\n"));
            c.Render(table);
            if (r.GetValue(epochs) is int n && n > 0)
            {
                var curve = experiments.TrainingSpeedCurves(s, n, r.GetValue(samples));
                json["curve"] = new JsonArray(curve.Speeds.Select(row => (JsonNode)new JsonArray(row.Select(x => (JsonNode)x).ToArray())).ToArray());
                var t = new Table().AddColumn("epoch");
                for (int l = 0; l < stats.Mean.Length; l++) t.AddColumn($"layer {l + 1}");
                foreach (int e in new[] { 0, 1, 2, 5, 10, 20, 50, 100, 200, 300, 400, 500 }.Where(e => e < curve.Speeds.Length).Append(curve.Speeds.Length - 1).Distinct())
                    t.AddRow([e.ToString(CultureInfo.InvariantCulture), .. curve.Speeds[e].Select(x => x.ToString("G4", CultureInfo.InvariantCulture))]);
                c.Render(new Markup($"[bold]Learning speed during full-batch training[/] (η 0.1, λ 5.0, {TrainCommand.Plural(stats.Samples, "image")}, {TrainCommand.Plural(n, "epoch")})\n"));
                c.Render(t);
            }
            c.WriteJson(json);
            if (c.Quiet) c.Result(string.Join(" ", stats.Mean.Select(x => x.ToString("G4", CultureInfo.InvariantCulture))));
            return 0;
        });
        return cmd;
    }

    // The book's MNIST networks: 784 inputs, at least one hidden layer (learning speed is measured on hidden layers), 10 outputs.
    private static string? SizesError(string text)
    {
        int[] s;
        try { s = TrainCommand.ParseSizes(text, "--sizes"); }
        catch (ArgumentException e) { return e.Message; }
        if (s.Length < 3 || s[0] != 784 || s[^1] != 10)
            return $"--sizes must be 784, one or more hidden layer sizes, then 10 (e.g. 784,30,30,10); got '{text}'.";
        return null;
    }
}

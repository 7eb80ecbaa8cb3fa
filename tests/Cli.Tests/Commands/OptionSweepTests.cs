using System.Text.RegularExpressions;
using DlBook.Cli.Tests.Support;

namespace DlBook.Cli.Tests.Commands;

/// <summary>
/// Every option of every command, given each of a set of awkward values, ends in a message for a CLI user: never exit 1
/// (an internal error), and never a message naming .NET internals (parameter names, type names, option-class
/// properties) where the flag the user typed belongs. Each command gets a missing input so a value that is valid ends
/// in a quick "file not found" instead of a training run.
/// </summary>
public sealed partial class OptionSweepTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-sweep-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Missing = "/nonexistent-dlbook-sweep";

    // Each command with the arguments that make it fail fast on a missing input.
    public static TheoryData<string> Commands() =>
    [
        $"train mlp --images {Missing}/i.gz --labels {Missing}/l.gz",
        $"train cnn --data-dir {Missing}",
        $"train rnn --task Series --series {Missing}/s.csv",
        $"train lm --text {Missing}/t.txt",
        $"evaluate --model {Missing}/m.zip",
        $"predict --model {Missing}/m.zip --input {Missing}/x.csv",
        $"score --model {Missing}/m.onnx --input {Missing}/x.csv",
        $"export --model {Missing}/m.zip",
        $"package --model {Missing}/m.zip",
        $"diagnose --data-dir {Missing}",
        $"generate --model {Missing}/lm.zip",
        $"data verify mnist --data-dir {Missing}",
    ];

    private static readonly string[] Values = ["-1", "0", "NaN", "Infinity", "1e40", "2147483648", "x", "", "../../etc", "none"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_option_with_awkward_values_gives_a_message_for_a_CLI_user(string command)
    {
        var baseArgs = command.Split(' ');
        int verbs = baseArgs.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Count();
        var help = CliRunner.Run([.. baseArgs[..verbs], "--help"]);
        Assert.Equal(0, help.ExitCode);
        var options = OptionName().Matches(help.Out).Select(m => m.Groups[1].Value)
            .Where(o => o is not "--help" and not "--version" and not "--json" and not "--quiet").Distinct().ToList();
        Assert.NotEmpty(options);
        var failures = new List<string>();
        foreach (var option in options)
            foreach (var value in Values)
            {
                // The option replaces the base argument of the same name, if any, so it is not given twice.
                var args = new List<string>();
                for (int i = 0; i < baseArgs.Length; i++)
                {
                    if (baseArgs[i] == option) { i++; continue; }
                    args.Add(baseArgs[i]);
                }
                args.AddRange([option, value, "--out", Path.Combine(_dir, "out.zip")]);
                if (option == "--out") args.RemoveRange(args.Count - 2, 2);
                var r = CliRunner.Run([.. args]);
                string said = r.Error + r.Out;
                if (r.ExitCode == 1) failures.Add($"{string.Join(' ', args)} → exit 1: {r.Error.Trim()}");
                else if (Internals().Match(said) is { Success: true } m)
                    failures.Add($"{string.Join(' ', args)} → names '{m.Value}': {said.Trim()}");
            }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
        Assert.Empty(Directory.GetFiles(_dir));   // nothing written by any failed case
    }

    [GeneratedRegex(@"^\s+(--[a-z0-9-]+)", RegexOptions.Multiline)]
    private static partial Regex OptionName();

    // What a CLI user should not have to read: .NET parameter and type names, and the library's option properties.
    [GeneratedRegex(@"\(Parameter '|Actual value was|System\.[A-Z]|DlBook\.[A-Z]|Microsoft\.ML\.[A-Z]|Vector<|`1|Nullable|" +
        @"\b(GradientClipNorm|GradientClipValue|LearningRate|BatchSize|HiddenLayers|EarlyStoppingPatience|CheckpointPath|fallbackToCpu|FallbackToCpu|LibraryPath|MemoryBudgetBytes|SequenceLength|EmbeddingDimension|HiddenSize)\b")]
    private static partial Regex Internals();
}

using System.Text.Json.Nodes;
using DlBook.Cli.Tests.Support;

namespace DlBook.Cli.Tests.Commands;

/// <summary>dlbook train lm and dlbook generate on a small text (seconds).</summary>
public sealed class LanguageModelCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-lm-cli-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Text()
    {
        var path = Path.Combine(_dir, "text.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("ROMEO: abc abd.\n", 120)));
        return path;
    }

    private static readonly string[] Small = ["--seq-length", "16", "--hidden", "24", "--embedding", "8", "--batch-size", "8", "--lr", "0.01"];

    [Fact]
    public void Train_lm_prints_each_evaluation_and_the_final_figure_and_generate_continues_the_prime()
    {
        var model = Path.Combine(_dir, "lm.zip");
        var r = CliRunner.Run(["train", "lm", "--text", Text(), "--epochs", "3", .. Small, "--out", model]);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("epoch 1:", r.Out);
        Assert.Contains("epoch 3:", r.Out);
        Assert.Matches(@"validation loss \d+\.\d{4} nats/char \(\d+\.\d{3} bits/char\)", r.Out);
        Assert.Contains("unigram entropy", r.Out);
        Assert.True(File.Exists(model));

        var j = CliRunner.Run(["train", "lm", "--text", Text(), "--epochs", "2", "--cell", "Gru", "--layers", "2", .. Small, "--out", model, "--json"]);
        Assert.True(j.ExitCode == 0, j.Error);
        var json = JsonNode.Parse(j.Out)!;
        Assert.Equal(2, json["evaluations"]!.AsArray().Count);
        Assert.True(json["validationLoss"]!.GetValue<double>() > 0);
        Assert.Equal(json["validationLoss"]!.GetValue<double>() / Math.Log(2), json["validationBitsPerCharacter"]!.GetValue<double>(), 9);
        Assert.Equal(12, json["vocabulary"]!.GetValue<int>());   // \n, space, '.', ':', 'E', 'M', 'O', 'R', 'a', 'b', 'c', 'd'

        var g = CliRunner.Run("generate", "--model", model, "--prime", "ROMEO:", "--length", "50", "--temperature", "0.8", "--seed", "1");
        Assert.True(g.ExitCode == 0, g.Error);
        var text = g.Out.TrimEnd('\n');
        Assert.StartsWith("ROMEO:", text);
        Assert.Equal(6 + 50, text.Length);
        Assert.Equal(g.Out, CliRunner.Run("generate", "--model", model, "--prime", "ROMEO:", "--length", "50", "--temperature", "0.8", "--seed", "1").Out);
        var gj = JsonNode.Parse(CliRunner.Run("generate", "--model", model, "--prime", "RO", "--length", "5", "--temperature", "0", "--json").Out)!;
        Assert.Equal(5, gj["text"]!.GetValue<string>().Length);
    }

    [Fact]
    public void A_time_budget_stops_the_run_and_says_so()
    {
        var r = CliRunner.Run(["train", "lm", "--text", Text(), "--minutes", "0.0001", .. Small, "--out", Path.Combine(_dir, "t.zip")]);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("epoch 1 (partial)", r.Out);
        Assert.Contains("(time limit)", r.Out);
    }

    [Theory]
    [InlineData("--hidden", "0")]
    [InlineData("--seq-length", "-3")]
    [InlineData("--minutes", "0")]
    [InlineData("--cell", "Transformer")]
    [InlineData("--layers", "two")]
    public void Bad_train_flags_exit_2_naming_the_flag(string flag, string value)
    {
        var r = CliRunner.Run("train", "lm", "--text", Text(), flag, value, "--out", Path.Combine(_dir, "x.zip"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(flag, r.Error);
        Assert.False(File.Exists(Path.Combine(_dir, "x.zip")));
    }

    [Fact]
    public void Bad_generate_input_exits_2_naming_what_is_wrong()
    {
        var model = Path.Combine(_dir, "lm.zip");
        Assert.Equal(0, CliRunner.Run(["train", "lm", "--text", Text(), "--epochs", "1", .. Small, "--out", model, "--quiet"]).ExitCode);
        var temperature = CliRunner.Run("generate", "--model", model, "--temperature", "-1");
        Assert.Equal(2, temperature.ExitCode);
        Assert.Contains("--temperature", temperature.Error);
        var length = CliRunner.Run("generate", "--model", model, "--length", "-5");
        Assert.Equal(2, length.ExitCode);
        Assert.Contains("--length", length.Error);
        var prime = CliRunner.Run("generate", "--model", model, "--prime", "ROMEO: xyz");
        Assert.Equal(2, prime.ExitCode);
        Assert.Contains("--prime", prime.Error);
        Assert.Contains("'x'", prime.Error);
        Assert.Contains("position 7", prime.Error);
        var missing = CliRunner.Run("generate", "--model", Path.Combine(_dir, "none.zip"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("none.zip", missing.Error);
        var noText = CliRunner.Run("train", "lm", "--out", Path.Combine(_dir, "y.zip"));
        Assert.Equal(2, noText.ExitCode);
        Assert.Contains("--text", noText.Error);
    }
}

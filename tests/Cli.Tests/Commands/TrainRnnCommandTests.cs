using System.Text.Json.Nodes;
using DlBook.Cli.Tests.Support;
using DlBook.TestSupport;

namespace DlBook.Cli.Tests.Commands;

/// <summary>dlbook train rnn on the synthetic tasks and a time series (small runs).</summary>
public sealed class TrainRnnCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-rnn-cli-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_adding_problem_run_reports_the_test_mse_and_the_gradient_through_time_and_writes_a_loadable_model()
    {
        var model = Path.Combine(_dir, "adding.zip");
        var r = CliRunner.Run("train", "rnn", "--task", "Adding", "--length", "10", "--rows", "300", "--test-rows", "100", "--hidden", "8", "--epochs", "2", "--out", model, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var json = JsonNode.Parse(r.Out)!;
        Assert.InRange(json["testMse"]!.GetValue<double>(), 0, 1);
        Assert.Equal(10, json["initialStepGradientNorms"]!.AsArray().Count);
        Assert.NotNull(json["stepGradientRatioAtEnd"]);
        Assert.Equal(1, json["seed"]!.GetValue<int>());
        var loaded = DlBook.Trainers.Packaging.ModelFiles.Load(new Microsoft.ML.MLContext(), model, out _);
        Assert.Equal(DlBook.Trainers.Networks.TrainerKind.Recurrent, Assert.IsType<DlBook.Trainers.Networks.NetworkTransformer>(loaded).Trainer);
    }

    [Fact]
    public void A_time_series_forecast_is_compared_with_the_last_value_forecast_in_the_series_units()
    {
        var r = CliRunner.Run("train", "rnn", "--task", "Series", "--series", Path.Combine(SharedData.Root, "timeseries", "airline-passengers.csv"),
            "--length", "12", "--hidden", "16", "--epochs", "3", "--cell", "Gru", "--out", Path.Combine(_dir, "air.zip"), "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var json = JsonNode.Parse(r.Out)!;
        // The naive forecast's RMSE over the last third (48 months) of the airline data, in thousands of passengers.
        Assert.InRange(json["naiveRmse"]!.GetValue<double>(), 30, 80);
        Assert.True(json["testRmse"]!.GetValue<double>() > 0);
        // Forecasting the change from the last value is judged against the same last-value forecast.
        var d = CliRunner.Run("train", "rnn", "--task", "Series", "--series", Path.Combine(SharedData.Root, "timeseries", "airline-passengers.csv"),
            "--length", "12", "--difference", "--hidden", "16", "--epochs", "3", "--cell", "Gru", "--out", Path.Combine(_dir, "air-d.zip"), "--json");
        Assert.True(d.ExitCode == 0, d.Error);
        Assert.Equal(json["naiveRmse"]!.GetValue<double>(), JsonNode.Parse(d.Out)!["naiveRmse"]!.GetValue<double>(), 9);
    }

    [Fact]
    public void Texts_are_classified_through_mlnets_text_transforms_on_a_stratified_split_and_the_model_reads_raw_text()
    {
        var model = Path.Combine(_dir, "sms.zip");
        var r = CliRunner.Run("train", "rnn", "--task", "Text", "--text", Path.Combine(SharedData.Root, "sms-spam", "SMSSpamCollection"),
            "--hidden", "8", "--embedding", "8", "--max-tokens", "20", "--epochs", "1", "--lr", "0.01", "--out", model, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var json = JsonNode.Parse(r.Out)!;
        Assert.Equal(4827.0 / 5574, json["majorityClassAccuracy"]!.GetValue<double>(), 2);   // ham's share, kept by the stratified split
        Assert.InRange(json["testAccuracy"]!.GetValue<double>(), 0.5, 1);
        var ml = new Microsoft.ML.MLContext();
        var loaded = DlBook.Trainers.Packaging.ModelFiles.Load(ml, model, out _);
        var scored = loaded.Transform(ml.Data.LoadFromEnumerable(new[] { new Sms { Label = "spam", Text = "WINNER!! Claim your free prize now, call 0800" } }));
        Assert.Contains(scored.Schema, c => c.Name == "Probability");
    }

    public sealed class Sms
    {
        public string Label { get; set; } = "";
        public string Text { get; set; } = "";
    }

    [Fact]
    public void Options_of_another_task_and_a_missing_column_are_exit_2_naming_the_flag()
    {
        var r = CliRunner.Run("train", "rnn", "--task", "Adding", "--series", "x.csv");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--series", r.Error);
        var s = CliRunner.Run("train", "rnn", "--task", "Series", "--series", Path.Combine(SharedData.Root, "timeseries", "airline-passengers.csv"), "--column", "Price");
        Assert.Equal(2, s.ExitCode);
        Assert.Contains("--column 'Price'", s.Error);
        Assert.Contains("Passengers", s.Error);
        var t = CliRunner.Run("train", "rnn", "--task", "Adding", "--max-tokens", "30");
        Assert.Equal(2, t.ExitCode);
        Assert.Contains("--max-tokens", t.Error);
    }
}

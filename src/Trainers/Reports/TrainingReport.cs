using DlBook.Pipelines.IO;
using DlBook.Engine.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Training;

namespace DlBook.Trainers.Reports;

/// <summary>
/// Writes a run's history and learning speeds as CSV and JSON: history.csv/json and gradients.csv/json, named
/// <c>&lt;run&gt;.history.csv</c> … when the run has a name (the CLI uses the model file's), so that two runs
/// reporting into one folder do not overwrite each other.
/// </summary>
public static class TrainingReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes [<paramref name="run"/>.]history.csv and history.json into <paramref name="directory"/>.</summary>
    public static void WriteHistory(TrainingHistory history, string directory, string? run = null)
    {
        var csv = new StringBuilder("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,samples_per_second\n");
        foreach (var e in history.Epochs)
            csv.AppendLine(string.Join(",", e.Epoch.ToString(CultureInfo.InvariantCulture), F(e.TrainLoss), F(e.TrainAccuracy), F(e.ValidationLoss),
                F(e.ValidationAccuracy), F(e.LearningRate), F(e.Seconds), F(e.SamplesPerSecond)));
        WriteText(FileName(directory, run, "history.csv"), csv.ToString());
        WriteText(FileName(directory, run, "history.json"), HistoryToJson(history).ToJsonString(Indented));
    }

    /// <summary>Writes [<paramref name="run"/>.]gradients.csv and gradients.json (epoch 0 = initialisation) into <paramref name="directory"/>.</summary>
    public static void WriteGradients(TrainingHistory history, string directory, string? run = null)
    {
        var rows = GradientRows(history).ToList();
        var csv = new StringBuilder("epoch,layer,index,hidden,bias_gradient_norm,weight_gradient_norm\n");
        foreach (var (epoch, s) in rows)
            csv.AppendLine(string.Join(",", epoch.ToString(CultureInfo.InvariantCulture), s.Layer, s.Index.ToString(CultureInfo.InvariantCulture),
                s.IsHidden ? "true" : "false", F(s.BiasGradientNorm), F(s.WeightGradientNorm)));
        WriteText(FileName(directory, run, "gradients.csv"), csv.ToString());
        var json = new JsonArray(rows.Select(r => (JsonNode)new JsonObject
        {
            ["epoch"] = r.Epoch,
            ["layer"] = r.Speed.Layer,
            ["index"] = r.Speed.Index,
            ["hidden"] = r.Speed.IsHidden,
            ["biasGradientNorm"] = Num(r.Speed.BiasGradientNorm),
            ["weightGradientNorm"] = Num(r.Speed.WeightGradientNorm),
        }).ToArray());
        WriteText(FileName(directory, run, "gradients.json"), json.ToJsonString(Indented));
    }

    /// <summary>Where a report file of run <paramref name="run"/> goes: <c>directory/run.file</c>, or <c>directory/file</c> for an unnamed run.</summary>
    public static string FileName(string directory, string? run, string file) =>
        Path.Combine(directory, string.IsNullOrEmpty(run) ? file : $"{run}.{file}");

    /// <summary>The history as JSON (also stored in the model package's "training" section).</summary>
    public static JsonObject HistoryToJson(TrainingHistory history) => new()
    {
        ["stoppedEarly"] = history.StoppedEarly,
        ["restoredEpoch"] = history.RestoredEpoch,
        ["epochs"] = new JsonArray(history.Epochs.Select(e => (JsonNode)new JsonObject
        {
            ["epoch"] = e.Epoch,
            ["trainLoss"] = Num(e.TrainLoss),
            ["trainAccuracy"] = Num(e.TrainAccuracy),
            ["validationLoss"] = e.ValidationLoss is double vl ? Num(vl) : null,
            ["validationAccuracy"] = e.ValidationAccuracy is double va ? Num(va) : null,
            ["learningRate"] = e.LearningRate,
            ["seconds"] = Num(e.Seconds),
            ["samplesPerSecond"] = Num(e.SamplesPerSecond),
            ["stepGradientNorms"] = Steps(e.StepGradientNorms),
        }).ToArray()),
        ["initialStepGradientNorms"] = Steps(history.InitialStepGradientNorms),
    };

    // ‖∂C/∂h_t‖ per time step of a recurrent network, or null.
    private static JsonArray? Steps(IReadOnlyList<double>? norms) => norms is null ? null : new JsonArray(norms.Select(n => (JsonNode?)Num(n)).ToArray());

    private static IEnumerable<(int Epoch, LayerLearningSpeed Speed)> GradientRows(TrainingHistory history)
    {
        foreach (var s in history.InitialLearningSpeeds ?? []) yield return (0, s);
        foreach (var e in history.Epochs)
            foreach (var s in e.LearningSpeeds ?? []) yield return (e.Epoch, s);
    }

    // JSON has no NaN; a missing metric is written as null.
    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static string F(double? v) => v is double d && double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "";

    private static void WriteText(string path, string text) => AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
}

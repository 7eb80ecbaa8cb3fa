using DlBook.Engine.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DlBook.Trainers.Training;

namespace DlBook.Trainers.Reports;

/// <summary>A training history as JSON and back (saved with the model, so a loaded model still shows its learning speeds).</summary>
public static class HistoryJson
{
    private static readonly JsonSerializerOptions Options = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private sealed record EpochDto(int Epoch, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy,
        float LearningRate, double Seconds, long Samples, List<LayerLearningSpeed>? LearningSpeeds, List<double>? StepGradientNorms = null);

    private sealed record HistoryDto(List<EpochDto> Epochs, List<LayerLearningSpeed>? InitialLearningSpeeds, int? RestoredEpoch, bool StoppedEarly,
        List<double>? InitialStepGradientNorms = null);

    /// <summary>The whole history, learning speeds included.</summary>
    public static JsonObject ToJson(TrainingHistory h) => JsonSerializer.SerializeToNode(new HistoryDto(
        h.Epochs.Select(e => new EpochDto(e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy, e.LearningRate, e.Seconds, e.Samples,
            e.LearningSpeeds?.ToList(), e.StepGradientNorms?.ToList())).ToList(),
        h.InitialLearningSpeeds?.ToList(), h.RestoredEpoch, h.StoppedEarly, h.InitialStepGradientNorms?.ToList()), Options)!.AsObject();

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    public static TrainingHistory FromJson(JsonObject json)
    {
        var dto = json.Deserialize<HistoryDto>(Options) ?? throw new JsonException("the history is null");
        var h = new TrainingHistory { InitialLearningSpeeds = dto.InitialLearningSpeeds, InitialStepGradientNorms = dto.InitialStepGradientNorms, RestoredEpoch = dto.RestoredEpoch, StoppedEarly = dto.StoppedEarly };
        foreach (var e in dto.Epochs)
            h.Add(new EpochRecord
            {
                Epoch = e.Epoch, TrainLoss = e.TrainLoss, TrainAccuracy = e.TrainAccuracy, ValidationLoss = e.ValidationLoss,
                ValidationAccuracy = e.ValidationAccuracy, LearningRate = e.LearningRate, Seconds = e.Seconds, Samples = e.Samples,
                LearningSpeeds = e.LearningSpeeds, StepGradientNorms = e.StepGradientNorms,
            });
        return h;
    }
}

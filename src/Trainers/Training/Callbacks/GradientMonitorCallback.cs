using DlBook.Engine.Diagnostics;
using DlBook.Engine.Tensors;
using DlBook.Pipelines.Bridge;
using DlBook.Trainers.Reports;
using DlBook.Trainers.Training;

namespace DlBook.Trainers.Training.Callbacks;

/// <summary>
/// Chapter 34's learning speed as a training callback: on a fixed set (the first
/// <paramref name="samples"/> training rows) it measures ‖∂C/∂b‖ and ‖∂C/∂W‖ per layer (and, for a recurrent
/// network, ‖∂C/∂h_t‖ per time step) at
/// initialisation and after every epoch, warns (naming the layer) when gradients vanish or explode,
/// and writes [<paramref name="reportName"/>.]gradients.csv/json into <paramref name="reportDirectory"/> when one is given.
/// </summary>
public sealed class GradientMonitorCallback(TrainingRows trainingData, int samples = 1000, string? reportDirectory = null,
    string? reportName = null, GradientHealthOptions? healthOptions = null) : ITrainingCallback
{
    private Tensor? _x;
    private Tensor? _targets;
    private IReadOnlyList<LayerLearningSpeed>? _previous;

    /// <inheritdoc />
    public void OnTrainingStart(TrainingState state)
    {
        (_x, _targets) = FirstRows(trainingData, state.Adapter, samples);
        state.History.InitialLearningSpeeds = Measure(state, "initialisation");
        _previous = null;   // growth is judged epoch to epoch: from initialisation to the first epoch gradients grow as a net starts learning
        state.History.InitialStepGradientNorms = LearningSpeed.StepGradientNorms(state.Network);
    }

    /// <inheritdoc />
    public void OnTrainingResumed(TrainingState state, BinaryReader saved)
    {
        // The speeds so far are in the restored history; growth is judged against the last epoch's, as it would have been.
        (_x, _targets) = FirstRows(trainingData, state.Adapter, samples);
        _previous = state.History.Last?.LearningSpeeds;
    }

    /// <inheritdoc />
    public void OnEpochEnd(TrainingState state)
    {
        state.CurrentEpoch!.LearningSpeeds = Measure(state, $"epoch {state.Epoch}");
        state.CurrentEpoch.StepGradientNorms = LearningSpeed.StepGradientNorms(state.Network);
    }

    /// <inheritdoc />
    public void OnTrainingEnd(TrainingState state)
    {
        if (reportDirectory is null) return;
        Directory.CreateDirectory(reportDirectory);
        TrainingReport.WriteGradients(state.History, reportDirectory, reportName);
    }

    /// <summary>Reads the first <paramref name="count"/> rows of <paramref name="data"/> into input and target tensors (fewer when the data is smaller).</summary>
    public static (Tensor X, Tensor Targets) FirstRows(TrainingRows data, Training.Adapters.IBatchAdapter adapter, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"The gradient monitor needs at least one sample (got {count}).");
        var table = data.Table is { } t && t.Rows >= Math.Min(count, data.Rows) ? t : data.Head(count);
        int rows = (int)Math.Min(count, table.Rows);
        if (rows == 0) throw new InvalidDataException("The training data has no rows to measure learning speeds on.");
        var x = new Tensor([rows, .. adapter.InputShape]);
        var y = new Tensor(rows, adapter.TargetSize);
        adapter.Fill(table, null, 0, rows, x, y);
        return (x, y);
    }

    private List<LayerLearningSpeed> Measure(TrainingState state, string when)
    {
        var norms = LearningSpeed.Measure(state.Network, state.Loss, _x!, _targets!);
        var health = GradientHealth.Assess(norms, _previous, healthOptions);
        foreach (var warning in health.Warnings) state.Log(LogLevel.Warning, $"At {when}: {warning}");
        _previous = norms;
        return norms;
    }
}

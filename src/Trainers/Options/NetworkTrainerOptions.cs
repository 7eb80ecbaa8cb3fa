using System.Text.Json.Serialization;
using Microsoft.ML;
using DlBook.Trainers.Training;

namespace DlBook.Trainers.Options;

/// <summary>
/// What every network trainer (MLP, CNN, recurrent) is told: the columns, the training loop (epochs, mini-batch,
/// optimiser, schedule, L2, clipping, early stopping, checkpoints), the gradient monitor, the seed, the memory budget,
/// progress and cancellation. The defaults are the book's MLP training (30 epochs, mini-batch 10, η = 0.1, plain SGD);
/// each trainer's options derive from it, add the network's shape and set their own defaults in their constructor.
/// </summary>
public abstract class NetworkTrainerOptions
{
    /// <summary>Epochs.</summary>
    public int Epochs { get; set; } = 30;
    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; set; } = 10;
    /// <summary>Learning rate η.</summary>
    public float LearningRate { get; set; } = 0.1f;
    /// <summary>L2 regularisation λ; the loop adds (λ/n)·w to weight gradients, n = training rows (the book uses 5.0).</summary>
    public float L2 { get; set; }
    /// <summary>The optimiser (the book: plain SGD).</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Sgd;
    /// <summary>Momentum coefficient (Momentum, Nesterov).</summary>
    public float Momentum { get; set; } = 0.9f;
    /// <summary>Adam β₁ (RMSProp uses it as its decay ρ when set by the engine).</summary>
    public float Beta1 { get; set; } = 0.9f;
    /// <summary>Adam/RMSProp β₂.</summary>
    public float Beta2 { get; set; } = 0.999f;
    /// <summary>Adam/Adagrad/RMSProp ε.</summary>
    public float Epsilon { get; set; } = 1e-8f;
    /// <summary>Decoupled weight decay (AdamW).</summary>
    public float WeightDecay { get; set; } = 0.01f;
    /// <summary>How η changes per epoch: Constant, ExponentialDecay (η·DecayRate^epoch), StepDecay (η·Gamma^(epoch/StepSize)) or Cosine.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Constant;
    /// <summary>Per-epoch factor of the exponential schedule (e.g. 0.98).</summary>
    public float DecayRate { get; set; } = 0.98f;
    /// <summary>Epochs per step of the step schedule.</summary>
    public int StepSize { get; set; } = 10;
    /// <summary>Factor of the step schedule.</summary>
    public float Gamma { get; set; } = 0.1f;
    /// <summary>Floor of the cosine schedule.</summary>
    public float MinLearningRate { get; set; }
    /// <summary>Clip the global gradient norm to θ (null: off).</summary>
    public float? GradientClipNorm { get; set; }
    /// <summary>Clip each gradient element to ±v (null: off).</summary>
    public float? GradientClipValue { get; set; }
    /// <summary>Stop when validation accuracy has not improved for this many epochs (null: off; needs <see cref="ValidationSet"/>, else watches the training loss).</summary>
    public int? EarlyStoppingPatience { get; set; }
    /// <summary>Minimum improvement that counts for early stopping.</summary>
    public double EarlyStoppingMinDelta { get; set; }
    /// <summary>With early stopping, put back the weights of the best epoch.</summary>
    public bool RestoreBestWeights { get; set; } = true;
    /// <summary>Validation data, evaluated after every epoch (the book's validation_data).</summary>
    [JsonIgnore]
    public IDataView? ValidationSet { get; set; }
    /// <summary>Save an ML.NET model zip of the trainer's transformer here after each epoch (the best one when a validation set is given, else the last).</summary>
    public string? CheckpointPath { get; set; }
    /// <summary>
    /// Continue a run that was stopped or killed: read the training state that the run wrote next to
    /// <see cref="CheckpointPath"/> (<c>CheckpointPath + ".state"</c>, after every epoch) and train the remaining epochs.
    /// With the same options and seed the final weights are bit-identical to a run that was never interrupted; other
    /// options are refused, naming the one that differs.
    /// </summary>
    [JsonIgnore]
    public bool Resume { get; set; }
    /// <summary>The training-state file written beside <see cref="CheckpointPath"/> after every epoch (null without a checkpoint).</summary>
    [JsonIgnore]
    public string? StatePath => CheckpointPath is { } path ? path + ".state" : null;
    /// <summary>Measure per-layer learning speeds at initialisation and after each epoch.</summary>
    public bool MonitorGradients { get; set; } = true;
    /// <summary>Training rows (the first ones) the gradient monitor averages over (the book: 1,000).</summary>
    public int GradientMonitorSamples { get; set; } = 1000;
    /// <summary>Folder for the run's report (history.csv/json, gradients.csv/json); null: beside the checkpoint, or none.</summary>
    public string? ReportDirectory { get; set; }
    /// <summary>Name that prefixes the report's files (<c>&lt;name&gt;.history.csv</c> …), so runs sharing a folder keep their own; null: the checkpoint's file name, or none.</summary>
    public string? ReportName { get; set; }
    /// <summary>Seed for initialisation, shuffling and dropout; null (the default) draws it from the MLContext, so <c>new MLContext(seed: n)</c> decides it.</summary>
    public int? Seed { get; set; }
    /// <summary>Feature column (a float vector).</summary>
    public string FeatureColumnName { get; set; } = "Features";
    /// <summary>Label column (a Key for multiclass).</summary>
    public string LabelColumnName { get; set; } = "Label";
    /// <summary>Hold the training (and validation) rows in memory when they take at most this many bytes (default 2 GiB); larger data is streamed in chunks of this size.</summary>
    public long MemoryBudgetBytes { get; set; } = Pipelines.Bridge.TrainingRows.DefaultMemoryBudget;
    /// <summary>Receives progress during Fit.</summary>
    [JsonIgnore]
    public IProgress<TrainingProgress>? Progress { get; set; }
    /// <summary>Cancels Fit.</summary>
    [JsonIgnore]
    public CancellationToken Cancellation { get; set; }
}

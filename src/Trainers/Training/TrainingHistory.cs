using DlBook.Engine.Diagnostics;
namespace DlBook.Trainers.Training;

/// <summary>Per-epoch record of a training run, plus the learning speeds at initialisation.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochRecord> _epochs = [];

    /// <summary>The epochs run, in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>Learning speeds before the first step, when the gradient monitor runs.</summary>
    public IReadOnlyList<LayerLearningSpeed>? InitialLearningSpeeds { get; set; }

    /// <summary>‖∂C/∂h_t‖ per time step of the first recurrent layer before the first step, when the gradient monitor runs on a recurrent network.</summary>
    public IReadOnlyList<double>? InitialStepGradientNorms { get; set; }

    /// <summary>1-based epoch whose weights the model holds (differs from the last when early stopping restored the best).</summary>
    public int? RestoredEpoch { get; set; }

    /// <summary>True when early stopping ended training before the last epoch, or the time limit ended it (<see cref="TrainingSetup.TimeLimit"/>).</summary>
    public bool StoppedEarly { get; set; }

    /// <summary>The last epoch, or null before the first completes.</summary>
    public EpochRecord? Last => _epochs.Count > 0 ? _epochs[^1] : null;

    internal void Add(EpochRecord record) => _epochs.Add(record);
}

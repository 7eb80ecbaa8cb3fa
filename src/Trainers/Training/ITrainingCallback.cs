namespace DlBook.Trainers.Training;

/// <summary>Hooks into the training loop. Every member has an empty default, so a callback overrides only what it needs.</summary>
public interface ITrainingCallback
{
    /// <summary>Before the first step (the network holds its initial weights).</summary>
    void OnTrainingStart(TrainingState state) { }

    /// <summary>After each optimiser step. Keep it cheap: it runs thousands of times per epoch.</summary>
    void OnBatchEnd(TrainingState state) { }

    /// <summary>After each epoch; <see cref="TrainingState.CurrentEpoch"/> holds its record, which callbacks may fill in (validation, learning speeds).</summary>
    void OnEpochEnd(TrainingState state) { }

    /// <summary>After the last epoch (or an early stop).</summary>
    void OnTrainingEnd(TrainingState state) { }

    /// <summary>
    /// Writes what the callback carries from one epoch to the next (best metric so far, best weights), into the training
    /// state saved after each epoch (<see cref="TrainingSetup.StatePath"/>). Stateless callbacks write nothing.
    /// </summary>
    void WriteState(BinaryWriter w) { }

    /// <summary>
    /// Called instead of <see cref="OnTrainingStart"/> when a run resumes from a saved training state: the network holds
    /// the saved weights and the history the saved epochs; <paramref name="saved"/> holds what <see cref="WriteState"/> wrote.
    /// </summary>
    void OnTrainingResumed(TrainingState state, BinaryReader saved) { }
}

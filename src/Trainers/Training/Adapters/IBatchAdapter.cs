using DlBook.Engine.Tensors;
using DlBook.Pipelines.Bridge;

namespace DlBook.Trainers.Training.Adapters;

/// <summary>
/// Turns rows of an <see cref="EngineTable"/> into the network's input and target tensors. This is all the training
/// loop knows about columns: trainers differ in the adapter they pass.
/// </summary>
public interface IBatchAdapter
{
    /// <summary>Per-sample input shape, e.g. [784].</summary>
    int[] InputShape { get; }

    /// <summary>Targets per sample (classes for one-hot, 1 for binary and regression).</summary>
    int TargetSize { get; }

    /// <summary>True when <see cref="CountCorrect"/> is meaningful (classification).</summary>
    bool IsClassification { get; }

    /// <summary>
    /// Copies rows order[start..start+count) of <paramref name="table"/> (rows start.. when order is null) into
    /// <paramref name="inputs"/> ([count, ..InputShape]) and <paramref name="targets"/> ([count, TargetSize]), both already sized.
    /// </summary>
    void Fill(EngineTable table, int[]? order, int start, int count, Tensor inputs, Tensor targets);

    /// <summary>How many rows of <paramref name="logits"/> predict their target (argmax, or z &gt; 0 for a single output).</summary>
    int CountCorrect(Tensor logits, Tensor targets);
}

using DlBook.Engine.Tensors;
using DlBook.Pipelines.Data;

namespace DlBook.Trainers.Training.Adapters;

/// <summary>
/// Turns rows of a <see cref="DataBatch"/> into the network's input and target tensors. This is all
/// the training loop knows about columns: trainers differ in the adapter they pass.
/// </summary>
public interface IBatchAdapter
{
    /// <summary>The columns the loop requests from the data view.</summary>
    IReadOnlyCollection<string> Columns { get; }

    /// <summary>Per-sample input shape, e.g. [784].</summary>
    int[] InputShape { get; }

    /// <summary>Targets per sample (classes for one-hot, 1 for binary and regression).</summary>
    int TargetSize { get; }

    /// <summary>True when <see cref="CountCorrect"/> is meaningful (classification).</summary>
    bool IsClassification { get; }

    /// <summary>
    /// Copies rows [start, start+count) of <paramref name="batch"/> into <paramref name="inputs"/>
    /// ([count, ..InputShape]) and <paramref name="targets"/> ([count, TargetSize]); both are already sized.
    /// </summary>
    void Fill(DataBatch batch, int start, int count, Tensor inputs, Tensor targets);

    /// <summary>How many rows of <paramref name="logits"/> predict their target (argmax, or z &gt; 0 for a single output).</summary>
    int CountCorrect(Tensor logits, Tensor targets);
}

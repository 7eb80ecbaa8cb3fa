using DlBook.Engine.Tensors;
using DlBook.Pipelines.Bridge;

namespace DlBook.Trainers.Training.Adapters;

/// <summary>Multiclass: features and a class index (from a key label) → x and one-hot targets.</summary>
public sealed class OneHotKeyAdapter(int[] inputShape, int classes) : IBatchAdapter
{
    /// <inheritdoc />
    public int[] InputShape { get; } = inputShape;
    /// <inheritdoc />
    public int TargetSize => classes;
    /// <inheritdoc />
    public bool IsClassification => true;

    /// <inheritdoc />
    public void Fill(EngineTable table, int[]? order, int start, int count, Tensor inputs, Tensor targets)
    {
        table.GatherFeatures(order, start, count, inputs.Span);
        var labels = table.Classes ?? throw new InvalidOperationException("The table holds no class labels.");
        var t = targets.Span;
        t.Clear();
        for (int r = 0; r < count; r++)
        {
            int row = order is null ? start + r : order[start + r];
            t[r * classes + (int)labels[row]] = 1f;
        }
    }

    /// <inheritdoc />
    public int CountCorrect(Tensor logits, Tensor targets) => AdapterCopy.CountArgMaxMatches(logits, targets);
}

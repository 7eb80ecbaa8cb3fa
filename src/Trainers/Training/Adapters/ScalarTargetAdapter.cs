using DlBook.Engine.Tensors;
using DlBook.Pipelines.Bridge;

namespace DlBook.Trainers.Training.Adapters;

/// <summary>One output per sample: binary classification (a Boolean, two-valued key or 0/1 label) or regression (a float label).</summary>
public sealed class ScalarTargetAdapter(int[] inputShape, bool binary) : IBatchAdapter
{
    /// <inheritdoc />
    public int[] InputShape { get; } = inputShape;
    /// <inheritdoc />
    public int TargetSize => 1;
    /// <inheritdoc />
    public bool IsClassification => binary;

    /// <inheritdoc />
    public void Fill(EngineTable table, int[]? order, int start, int count, Tensor inputs, Tensor targets)
    {
        table.GatherFeatures(order, start, count, inputs.Span);
        var t = targets.Span;
        if (table.Classes is { } classes)
            for (int r = 0; r < count; r++) t[r] = classes[order is null ? start + r : order[start + r]];
        else
        {
            var values = table.Targets ?? throw new InvalidOperationException("The table holds no labels.");
            for (int r = 0; r < count; r++) t[r] = values[order is null ? start + r : order[start + r]];
        }
    }

    /// <inheritdoc />
    public int CountCorrect(Tensor logits, Tensor targets)
    {
        if (!binary) return 0;
        int correct = 0;
        var z = logits.Span;
        var y = targets.Span;
        for (int r = 0; r < logits.Rows; r++)
            if ((z[r] > 0) == (y[r] > 0.5f)) correct++;
        return correct;
    }
}

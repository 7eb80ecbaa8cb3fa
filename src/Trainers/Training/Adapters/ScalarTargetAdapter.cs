using DlBook.Engine.Tensors;
using DlBook.Pipelines.Data;

namespace DlBook.Trainers.Training.Adapters;

/// <summary>
/// One output per sample: binary classification (label 0/1 as a float, or a two-class Key) or
/// regression (any float label).
/// </summary>
public sealed class ScalarTargetAdapter(string featureColumn, string labelColumn, int[] inputShape, bool binary) : IBatchAdapter
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> Columns { get; } = [featureColumn, labelColumn];
    /// <inheritdoc />
    public int[] InputShape { get; } = inputShape;
    /// <inheritdoc />
    public int TargetSize => 1;
    /// <inheritdoc />
    public bool IsClassification => binary;

    /// <inheritdoc />
    public void Fill(DataBatch batch, int start, int count, Tensor inputs, Tensor targets)
    {
        AdapterCopy.Features(batch, featureColumn, start, count, inputs);
        var t = targets.Span;
        var label = batch.Columns.TryGetValue(labelColumn, out var c) ? c : batch.Get<FloatColumnData>(labelColumn);
        switch (label)
        {
            case KeyColumnData k:
                for (int r = 0; r < count; r++) t[r] = k.Keys[start + r];
                break;
            case FloatColumnData f:
                for (int r = 0; r < count; r++) t[r] = f.Values[(start + r) * f.RowSize];
                break;
            default:
                throw new SchemaException($"Label column '{labelColumn}' holds {label.GetType().Name}; a scalar float or Key label is needed.");
        }
        if (binary)
            for (int r = 0; r < count; r++)
                if (t[r] is not (0f or 1f))
                    throw new InvalidDataException($"Label column '{labelColumn}' has value {t[r]} at row {start + r} of a batch; binary classification needs 0 or 1.");
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

using DlBook.Engine.Tensors;
using DlBook.Pipelines.Data;

namespace DlBook.Trainers.Training.Adapters;

/// <summary>Multiclass: a float vector feature column and a Key label → x and one-hot targets.</summary>
public sealed class OneHotKeyAdapter(string featureColumn, string labelColumn, int[] inputShape, int classes) : IBatchAdapter
{
    /// <inheritdoc />
    public IReadOnlyCollection<string> Columns { get; } = [featureColumn, labelColumn];
    /// <inheritdoc />
    public int[] InputShape { get; } = inputShape;
    /// <inheritdoc />
    public int TargetSize => classes;
    /// <inheritdoc />
    public bool IsClassification => true;

    /// <inheritdoc />
    public void Fill(DataBatch batch, int start, int count, Tensor inputs, Tensor targets)
    {
        AdapterCopy.Features(batch, featureColumn, start, count, inputs);
        var keys = batch.Get<KeyColumnData>(labelColumn).Keys;
        var t = targets.Span;
        t.Clear();
        for (int r = 0; r < count; r++)
        {
            uint k = keys[start + r];
            if (k >= classes)
                throw new InvalidDataException(
                    $"Label column '{labelColumn}' has key {k} at row {RowLabel(batch, start + r)}, outside 0..{classes - 1}. " +
                    "Fit the key mapping (MapValueToKey) on data that contains every class.");
            t[r * classes + (int)k] = 1f;
        }
    }

    /// <inheritdoc />
    public int CountCorrect(Tensor logits, Tensor targets) => AdapterCopy.CountArgMaxMatches(logits, targets);

    private static string RowLabel(DataBatch batch, int r) => batch.FirstRow >= 0 ? (batch.FirstRow + r).ToString() : $"{r} of the batch";
}

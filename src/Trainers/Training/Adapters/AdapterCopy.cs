using DlBook.Engine.Tensors;
using DlBook.Pipelines.Data;

namespace DlBook.Trainers.Training.Adapters;

/// <summary>Copies shared by the adapters.</summary>
internal static class AdapterCopy
{
    public static void Features(DataBatch batch, string column, int start, int count, Tensor inputs)
    {
        var f = batch.Get<FloatColumnData>(column);
        int size = inputs.RowSize;
        if (f.RowSize != size)
            throw new SchemaException($"Feature column '{column}' has {f.RowSize} values per row; the network expects {size}.");
        f.Values.AsSpan(start * size, count * size).CopyTo(inputs.Data);
    }

    public static int CountArgMaxMatches(Tensor logits, Tensor targets)
    {
        int rows = logits.Rows, n = logits.RowSize, correct = 0;
        var z = logits.Data;
        var y = targets.Data;
        for (int r = 0; r < rows; r++)
        {
            int o = r * n;
            if (ArgMax(z.AsSpan(o, n)) == ArgMax(y.AsSpan(o, n))) correct++;
        }
        return correct;
    }

    public static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}

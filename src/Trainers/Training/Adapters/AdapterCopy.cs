using DlBook.Engine.Tensors;

namespace DlBook.Trainers.Training.Adapters;

/// <summary>Arg-max matching shared by the adapters.</summary>
internal static class AdapterCopy
{
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

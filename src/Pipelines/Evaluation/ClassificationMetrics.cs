namespace DlBook.Pipelines.Evaluation;

/// <summary>
/// Classification metrics as plain functions over arrays, usable without a data view (e.g. by a trainer's
/// per-epoch validation). Keys/labels are 0-based class indices; scores are probabilities.
/// </summary>
public static class ClassificationMetrics
{
    /// <summary>Probabilities are clamped to [1e-15, 1] before taking logs, so a confident miss costs a finite ≈34.5 nats.</summary>
    public const double Epsilon = 1e-15;

    /// <summary>Fraction of rows whose prediction equals the label.</summary>
    public static double Accuracy(ReadOnlySpan<uint> labels, ReadOnlySpan<uint> predicted)
    {
        CheckLengths(labels.Length, predicted.Length, "predicted");
        if (labels.IsEmpty) return 0;
        int correct = 0;
        for (int i = 0; i < labels.Length; i++) if (labels[i] == predicted[i]) correct++;
        return (double)correct / labels.Length;
    }

    /// <summary>The index of the largest score (the first one on ties).</summary>
    public static uint ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++) if (scores[i] > scores[best]) best = i;
        return (uint)best;
    }

    /// <summary>Predicted classes of row-major scores [rows × classes].</summary>
    public static uint[] ArgMaxRows(ReadOnlySpan<float> scores, int classes)
    {
        var result = new uint[scores.Length / classes];
        for (int r = 0; r < result.Length; r++) result[r] = ArgMax(scores.Slice(r * classes, classes));
        return result;
    }

    /// <summary>Multiclass log-loss in nats: mean of −ln p[label] over rows of row-major probabilities [rows × classes].</summary>
    public static double LogLoss(ReadOnlySpan<float> probabilities, int classes, ReadOnlySpan<uint> labels)
    {
        CheckLengths(labels.Length * classes, probabilities.Length, "probabilities (rows × classes)");
        if (labels.IsEmpty) return 0;
        double sum = 0;
        for (int r = 0; r < labels.Length; r++) sum += RowLogLoss(probabilities[(r * classes)..((r + 1) * classes)], labels[r]);
        return sum / labels.Length;
    }

    internal static double RowLogLoss(ReadOnlySpan<float> p, uint label) =>
        label < p.Length ? -Math.Log(Math.Clamp(p[(int)label], Epsilon, 1)) : -Math.Log(Epsilon);

    /// <summary>Binary log-loss in bits (log base 2, as ML.NET's binary evaluator): mean of −log2 p(actual class).</summary>
    public static double BinaryLogLoss(ReadOnlySpan<float> probabilities, ReadOnlySpan<bool> labels)
    {
        CheckLengths(labels.Length, probabilities.Length, "probabilities");
        if (labels.IsEmpty) return 0;
        double sum = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double p = Math.Clamp((double)probabilities[i], Epsilon, 1 - Epsilon);
            sum -= Math.Log2(labels[i] ? p : 1 - p);
        }
        return sum / labels.Length;
    }

    /// <summary>
    /// Area under the ROC curve by the rank (Mann–Whitney U) method: AUC = (R₊ − n₊(n₊+1)/2) / (n₊ n₋), where R₊ is the
    /// sum of the positives' ranks and tied scores share their average rank (so a tie counts one half).
    /// NaN when either class is absent.
    /// </summary>
    public static double AreaUnderRocCurve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        CheckLengths(labels.Length, scores.Length, "scores");
        var order = SortedIndices(scores, descending: false);
        double positiveRankSum = 0;
        long positives = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j < order.Length && scores[order[j]] == scores[order[i]]) j++;
            double averageRank = (i + 1 + j) / 2.0; // ranks i+1..j
            for (int t = i; t < j; t++) if (labels[order[t]]) { positiveRankSum += averageRank; positives++; }
            i = j;
        }
        long negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// Area under the precision–recall curve as average precision: Σ over distinct score thresholds (high to low) of
    /// (recall gained) × (precision at that threshold); tied scores enter together. NaN when there are no positives.
    /// </summary>
    public static double AreaUnderPrecisionRecallCurve(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        CheckLengths(labels.Length, scores.Length, "scores");
        long positives = 0;
        foreach (var l in labels) if (l) positives++;
        if (positives == 0) return double.NaN;
        var order = SortedIndices(scores, descending: true);
        double area = 0;
        long truePositives = 0;
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            long gained = 0;
            while (j < order.Length && scores[order[j]] == scores[order[i]]) { if (labels[order[j]]) gained++; j++; }
            truePositives += gained;
            area += (double)gained / positives * ((double)truePositives / j);
            i = j;
        }
        return area;
    }

    /// <summary>Harmonic mean of precision and recall; 0 when both are 0.</summary>
    public static double F1Score(double precision, double recall) =>
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;

    /// <summary>The confusion matrix of 0-based labels and predictions over <paramref name="classes"/> classes.</summary>
    public static ConfusionMatrix ConfusionMatrix(ReadOnlySpan<uint> labels, ReadOnlySpan<uint> predicted, int classes,
        IReadOnlyList<string>? classNames = null)
    {
        CheckLengths(labels.Length, predicted.Length, "predicted");
        var counts = new double[classes][];
        for (int c = 0; c < classes; c++) counts[c] = new double[classes];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classes || predicted[i] >= classes)
                throw new ArgumentOutOfRangeException(nameof(labels), $"Row {i}: label {labels[i]} / prediction {predicted[i]} is not a class index below {classes}.");
            counts[labels[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts, classNames);
    }

    /// <summary>Entropy of a class distribution given by counts, in nats (or bits).</summary>
    internal static double Entropy(IEnumerable<double> counts, bool bits)
    {
        var c = counts.ToArray();
        double total = c.Sum(), h = 0;
        foreach (var n in c)
            if (n > 0) h -= n / total * (bits ? Math.Log2(n / total) : Math.Log(n / total));
        return h;
    }

    private static int[] SortedIndices(ReadOnlySpan<float> scores, bool descending)
    {
        var idx = new int[scores.Length];
        var keys = scores.ToArray();
        for (int i = 0; i < idx.Length; i++) idx[i] = i;
        if (descending) for (int i = 0; i < keys.Length; i++) keys[i] = -keys[i];
        Array.Sort(keys, idx);
        return idx;
    }

    private static void CheckLengths(int expected, int actual, string what)
    {
        if (expected != actual) throw new ArgumentException($"Length mismatch: {what} has {actual} values, expected {expected}.");
    }
}

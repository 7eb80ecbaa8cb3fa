namespace DlBook.Pipelines.Evaluation;

/// <summary>Results of multiclass evaluation, with ML.NET's names and meanings.</summary>
public sealed class MulticlassClassificationMetrics
{
    private MulticlassClassificationMetrics(double micro, double macro, double logLoss, double reduction, int topK,
        double[] topKForAll, double[] perClassLogLoss, ConfusionMatrix confusion)
    {
        (MicroAccuracy, MacroAccuracy, LogLoss, LogLossReduction) = (micro, macro, logLoss, reduction);
        TopKPredictionCount = topK;
        TopKAccuracyForAllK = topKForAll;
        TopKAccuracy = topK > 0 ? topKForAll[topK - 1] : 0;
        PerClassLogLoss = perClassLogLoss;
        ConfusionMatrix = confusion;
    }

    /// <summary>Fraction of all rows predicted correctly.</summary>
    public double MicroAccuracy { get; }
    /// <summary>Mean over the classes present in the labels of each class's accuracy (its recall).</summary>
    public double MacroAccuracy { get; }
    /// <summary>Mean −ln p[label] (nats), probabilities clamped at 1e-15.</summary>
    public double LogLoss { get; }
    /// <summary>(LL(prior) − LL) / LL(prior), where LL(prior) is the entropy of the label distribution: 1 is perfect, 0 is no better than the class frequencies.</summary>
    public double LogLossReduction { get; }
    /// <summary>The k asked for (0 when none).</summary>
    public int TopKPredictionCount { get; }
    /// <summary>Fraction of rows whose label is among the k highest scores (0 when k = 0).</summary>
    public double TopKAccuracy { get; }
    /// <summary>Top-k accuracy for k = 1..TopKPredictionCount.</summary>
    public IReadOnlyList<double> TopKAccuracyForAllK { get; }
    /// <summary>Mean log-loss of the rows of each class (0 for classes absent from the labels).</summary>
    public IReadOnlyList<double> PerClassLogLoss { get; }
    /// <summary>Counts[truth][predicted] with per-class precision and recall.</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <summary>
    /// Computes the metrics from 0-based labels, row-major probabilities [rows × classes] and predictions (argmax of the
    /// scores when null).
    /// </summary>
    public static MulticlassClassificationMetrics Compute(ReadOnlySpan<uint> labels, ReadOnlySpan<float> scores, int classes,
        ReadOnlySpan<uint> predicted = default, int topKPredictionCount = 0, IReadOnlyList<string>? classNames = null)
    {
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes));
        if (topKPredictionCount < 0 || topKPredictionCount > classes)
            throw new ArgumentOutOfRangeException(nameof(topKPredictionCount), $"topKPredictionCount must be in 0..{classes}; got {topKPredictionCount}.");
        if (scores.Length != labels.Length * classes)
            throw new ArgumentException($"Scores hold {scores.Length} values; {labels.Length} rows × {classes} classes expected.");
        var pred = predicted.IsEmpty ? ClassificationMetrics.ArgMaxRows(scores, classes) : predicted.ToArray();
        var confusion = ClassificationMetrics.ConfusionMatrix(labels, pred, classes, classNames);
        int n = labels.Length;
        double micro = ClassificationMetrics.Accuracy(labels, pred);
        var present = Enumerable.Range(0, classes).Where(c => confusion.Counts[c].Sum() > 0).ToArray();
        double macro = present.Length > 0 ? present.Average(c => confusion.PerClassRecall[c]) : 0;

        var classLoss = new double[classes];
        var classCount = new long[classes];
        var topHits = new long[Math.Max(topKPredictionCount, 0)];
        double total = 0;
        for (int r = 0; r < n; r++)
        {
            var row = scores.Slice(r * classes, classes);
            uint label = labels[r];
            double loss = ClassificationMetrics.RowLogLoss(row, label);
            total += loss;
            classLoss[label] += loss;
            classCount[label]++;
            if (topHits.Length > 0)
            {
                // Rank of the label's score; ties go to the lower index, as argmax does.
                int rank = 0;
                float own = row[(int)label];
                for (int c = 0; c < classes; c++)
                    if (row[c] > own || (row[c] == own && c < label)) rank++;
                for (int k = rank; k < topHits.Length; k++) topHits[k]++;
            }
        }
        double logLoss = n > 0 ? total / n : 0;
        double prior = ClassificationMetrics.Entropy(classCount.Select(c => (double)c), bits: false);
        double reduction = prior > 0 ? (prior - logLoss) / prior : 0;
        var perClass = classLoss.Select((l, c) => classCount[c] > 0 ? l / classCount[c] : 0).ToArray();
        var topK = topHits.Select(h => n > 0 ? (double)h / n : 0).ToArray();
        return new MulticlassClassificationMetrics(micro, macro, logLoss, reduction, topKPredictionCount, topK, perClass, confusion);
    }
}

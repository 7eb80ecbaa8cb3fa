namespace DlBook.Pipelines.Evaluation;

/// <summary>Results of binary evaluation, with ML.NET's names and meanings (ML.NET's CalibratedBinaryClassificationMetrics).</summary>
public sealed class BinaryClassificationMetrics
{
    private BinaryClassificationMetrics() { }

    /// <summary>Fraction of rows predicted correctly.</summary>
    public double Accuracy { get; private init; }
    /// <summary>Area under the ROC curve (rank method, ties count one half).</summary>
    public double AreaUnderRocCurve { get; private init; }
    /// <summary>Area under the precision–recall curve (average precision).</summary>
    public double AreaUnderPrecisionRecallCurve { get; private init; }
    /// <summary>F1 of the positive class.</summary>
    public double F1Score { get; private init; }
    /// <summary>TP / (TP + FP).</summary>
    public double PositivePrecision { get; private init; }
    /// <summary>TP / (TP + FN).</summary>
    public double PositiveRecall { get; private init; }
    /// <summary>TN / (TN + FN).</summary>
    public double NegativePrecision { get; private init; }
    /// <summary>TN / (TN + FP).</summary>
    public double NegativeRecall { get; private init; }
    /// <summary>Mean −log2 p(actual class), in bits as in ML.NET's binary evaluator.</summary>
    public double LogLoss { get; private init; }
    /// <summary>(Entropy − LogLoss) / Entropy: 1 is perfect, 0 no better than predicting the positive rate.</summary>
    public double LogLossReduction { get; private init; }
    /// <summary>Entropy of the labels in bits (the log-loss of always predicting the positive rate).</summary>
    public double Entropy { get; private init; }
    /// <summary>Counts[truth][predicted]; class 0 = negative, 1 = positive.</summary>
    public ConfusionMatrix ConfusionMatrix { get; private init; } = null!;

    /// <summary>
    /// Computes the metrics from labels, probabilities of the positive class and predictions (probability &gt; 0.5 when
    /// <paramref name="predicted"/> is empty).
    /// </summary>
    public static BinaryClassificationMetrics Compute(ReadOnlySpan<bool> labels, ReadOnlySpan<float> probabilities,
        ReadOnlySpan<bool> predicted = default, IReadOnlyList<string>? classNames = null)
    {
        if (probabilities.Length != labels.Length) throw new ArgumentException($"{probabilities.Length} probabilities for {labels.Length} labels.");
        var pred = predicted.IsEmpty ? probabilities.ToArray().Select(p => p > 0.5f).ToArray() : predicted.ToArray();
        if (pred.Length != labels.Length) throw new ArgumentException($"{pred.Length} predictions for {labels.Length} labels.");
        var truth = new uint[labels.Length];
        var guess = new uint[labels.Length];
        for (int i = 0; i < truth.Length; i++) { truth[i] = labels[i] ? 1u : 0u; guess[i] = pred[i] ? 1u : 0u; }
        var confusion = ClassificationMetrics.ConfusionMatrix(truth, guess, 2, classNames ?? ["False", "True"]);
        double tn = confusion.Counts[0][0], fp = confusion.Counts[0][1], fn = confusion.Counts[1][0], tp = confusion.Counts[1][1];
        double Ratio(double a, double b) => b > 0 ? a / b : 0;
        double logLoss = ClassificationMetrics.BinaryLogLoss(probabilities, labels);
        double entropy = ClassificationMetrics.Entropy([tp + fn, tn + fp], bits: true);
        return new BinaryClassificationMetrics
        {
            Accuracy = Ratio(tp + tn, labels.Length),
            AreaUnderRocCurve = ClassificationMetrics.AreaUnderRocCurve(probabilities, labels),
            AreaUnderPrecisionRecallCurve = ClassificationMetrics.AreaUnderPrecisionRecallCurve(probabilities, labels),
            PositivePrecision = Ratio(tp, tp + fp),
            PositiveRecall = Ratio(tp, tp + fn),
            NegativePrecision = Ratio(tn, tn + fn),
            NegativeRecall = Ratio(tn, tn + fp),
            F1Score = ClassificationMetrics.F1Score(Ratio(tp, tp + fp), Ratio(tp, tp + fn)),
            LogLoss = logLoss,
            Entropy = entropy,
            LogLossReduction = entropy > 0 ? (entropy - logLoss) / entropy : 0,
            ConfusionMatrix = confusion,
        };
    }
}

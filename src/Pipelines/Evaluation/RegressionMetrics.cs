namespace DlBook.Pipelines.Evaluation;

/// <summary>Results of regression evaluation (ML.NET's RegressionMetrics).</summary>
public sealed class RegressionMetrics
{
    private RegressionMetrics(double mse, double mae, double r2) => (MeanSquaredError, MeanAbsoluteError, RSquared) = (mse, mae, r2);

    /// <summary>Mean of (score − label)².</summary>
    public double MeanSquaredError { get; }
    /// <summary>√MSE.</summary>
    public double RootMeanSquaredError => Math.Sqrt(MeanSquaredError);
    /// <summary>Mean of |score − label|.</summary>
    public double MeanAbsoluteError { get; }
    /// <summary>1 − SS_res / SS_tot (can be negative for a model worse than the mean; NaN when every label is equal).</summary>
    public double RSquared { get; }

    /// <summary>Computes the metrics from labels and predicted values.</summary>
    public static RegressionMetrics Compute(ReadOnlySpan<float> labels, ReadOnlySpan<float> scores)
    {
        if (labels.Length != scores.Length) throw new ArgumentException($"{scores.Length} scores for {labels.Length} labels.");
        if (labels.IsEmpty) return new RegressionMetrics(0, 0, double.NaN);
        double mean = 0;
        foreach (var l in labels) mean += l;
        mean /= labels.Length;
        double sse = 0, sae = 0, sst = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double e = (double)scores[i] - labels[i];
            sse += e * e;
            sae += Math.Abs(e);
            sst += (labels[i] - mean) * (labels[i] - mean);
        }
        return new RegressionMetrics(sse / labels.Length, sae / labels.Length, sst > 0 ? 1 - sse / sst : double.NaN);
    }
}

using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Transforms.Normalization;

/// <summary>
/// Learns per-element offsets and scales of a Single column in one pass (NaN values are skipped), or, for
/// <see cref="NormalizerKind.Scale"/>, takes them as given.
/// </summary>
public sealed class NormalizingEstimator : IEstimator<NormalizerTransformer>
{
    private const double MinStandardDeviation = 1e-6;
    private readonly float _fixedScale, _fixedOffset;

    /// <summary>Creates the estimator; <paramref name="scale"/> and <paramref name="offset"/> are used only by <see cref="NormalizerKind.Scale"/>.</summary>
    public NormalizingEstimator(NormalizerKind kind, string outputColumnName, string? inputColumnName = null, float scale = 1, float offset = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        Kind = kind;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
        _fixedScale = scale;
        _fixedOffset = offset;
    }

    /// <summary>The normalisation.</summary>
    public NormalizerKind Kind { get; }
    /// <summary>The column written.</summary>
    public string OutputColumnName { get; }
    /// <summary>The column read.</summary>
    public string InputColumnName { get; }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        ColumnChecks.FloatColumnSize(inputSchema, InputColumnName, NormalizerTransformer.KindName(Kind));
        return inputSchema.With(new DataColumn(OutputColumnName, inputSchema[InputColumnName].Type));
    }

    /// <inheritdoc />
    public NormalizerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int n = ColumnChecks.FloatColumnSize(input.Schema, InputColumnName, NormalizerTransformer.KindName(Kind));
        var offset = new float[n];
        var scale = new float[n];
        if (Kind == NormalizerKind.Scale)
        {
            Array.Fill(offset, _fixedOffset);
            Array.Fill(scale, _fixedScale);
        }
        else
        {
            var (count, a, b) = Kind == NormalizerKind.MinMax ? MinMax(input, n) : MeanVariance(input, n);
            if (count.All(c => c == 0))
                throw new DataFormatException($"{NormalizerTransformer.KindName(Kind)}: column '{InputColumnName}' has no (non-NaN) values to fit on. Fit on a non-empty view.");
            for (int i = 0; i < n; i++)
            {
                if (count[i] == 0) { offset[i] = 0; scale[i] = 1; continue; }
                offset[i] = (float)a[i];
                if (Kind == NormalizerKind.MinMax)
                    scale[i] = b[i] > a[i] ? (float)(1.0 / (b[i] - a[i])) : 1f;
                else
                {
                    double sd = Math.Sqrt(b[i] / count[i]);
                    scale[i] = sd > MinStandardDeviation ? (float)(1.0 / sd) : 1f;
                }
            }
        }
        return new NormalizerTransformer(Kind, OutputColumnName, InputColumnName, offset, scale);
    }

    /// <summary>Per element: count, min, max.</summary>
    private (long[] Count, double[] Min, double[] Max) MinMax(IDataView input, int n)
    {
        var count = new long[n];
        var min = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, n).ToArray();
        foreach (var batch in input.GetBatches(new BatchOptions { BatchSize = 4096, Columns = [InputColumnName] }))
        {
            var x = ColumnChecks.Floats(batch, InputColumnName);
            for (int r = 0; r < x.RowCount; r++)
            {
                var row = x.Row(r);
                for (int i = 0; i < n; i++)
                {
                    float v = row[i];
                    if (float.IsNaN(v)) continue;
                    count[i]++;
                    if (v < min[i]) min[i] = v;
                    if (v > max[i]) max[i] = v;
                }
            }
        }
        return (count, min, max);
    }

    /// <summary>Per element: count, mean and the sum of squared deviations, by Welford's update (stable for large offsets).</summary>
    private (long[] Count, double[] Mean, double[] M2) MeanVariance(IDataView input, int n)
    {
        var count = new long[n];
        var mean = new double[n];
        var m2 = new double[n];
        foreach (var batch in input.GetBatches(new BatchOptions { BatchSize = 4096, Columns = [InputColumnName] }))
        {
            var x = ColumnChecks.Floats(batch, InputColumnName);
            for (int r = 0; r < x.RowCount; r++)
            {
                var row = x.Row(r);
                for (int i = 0; i < n; i++)
                {
                    float v = row[i];
                    if (float.IsNaN(v)) continue;
                    long c = ++count[i];
                    double delta = v - mean[i];
                    mean[i] += delta / c;
                    m2[i] += delta * (v - mean[i]);
                }
            }
        }
        return (count, mean, m2);
    }
}

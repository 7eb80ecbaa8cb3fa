using DlBook.Pipelines.Transforms;
using DlBook.Pipelines.Transforms.Concatenation;
using DlBook.Pipelines.Transforms.Normalization;

namespace DlBook.Pipelines.Catalogs;

public sealed partial class TransformsCatalog
{
    private ConversionCatalog? _conversion;

    /// <summary>Key conversions: MapValueToKey, MapKeyToValue.</summary>
    public ConversionCatalog Conversion => _conversion ??= new ConversionCatalog(Context);

    /// <summary>
    /// Scales each element of a Single column to [0, 1] over the fitting data: y = (x − min) / (max − min); an element
    /// that is constant gets scale 1 (so it maps to 0). Like ML.NET's NormalizeMinMax with fixZero = false
    /// (ML.NET's default fixZero = true divides by max |x| instead).
    /// </summary>
    public NormalizingEstimator NormalizeMinMax(string outputColumnName, string? inputColumnName = null) =>
        new(NormalizerKind.MinMax, outputColumnName, inputColumnName);

    /// <summary>
    /// Zero mean, unit variance per element: y = (x − mean) / σ (population σ over the fitting data); an element whose
    /// σ is below 1e-6 gets scale 1 instead of a huge one. ML.NET's default (fixZero = true) does not subtract the mean.
    /// </summary>
    public NormalizingEstimator NormalizeMeanVariance(string outputColumnName, string? inputColumnName = null) =>
        new(NormalizerKind.MeanVariance, outputColumnName, inputColumnName);

    /// <summary>A fixed affine map y = (x − <paramref name="offset"/>) × <paramref name="scale"/> (e.g. pixels × 1/255); nothing is learnt.</summary>
    public NormalizingEstimator NormalizeScale(string outputColumnName, string? inputColumnName, float scale, float offset = 0) =>
        new(NormalizerKind.Scale, outputColumnName, inputColumnName, scale, offset);

    /// <summary>Joins Single scalar/vector columns, in order, into one vector column (ML.NET's Concatenate).</summary>
    public TrivialEstimator<ColumnConcatenatingTransformer> Concatenate(string outputColumnName, params string[] inputColumnNames) =>
        new(new ColumnConcatenatingTransformer(outputColumnName, inputColumnNames));
}

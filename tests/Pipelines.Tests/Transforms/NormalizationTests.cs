using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Normalization;

namespace DlBook.Pipelines.Tests.Transforms;

/// <summary>NormalizeMinMax, NormalizeMeanVariance and NormalizeScale: fitted offsets/scales in closed form, applied to new data.</summary>
public sealed class NormalizationTests
{
    private readonly DlContext _ctx = new(1);

    private IDataView Scalars(params float[] x) => _ctx.Data.LoadFromEnumerable(x.Select(v => new ScalarRow { X = v }).ToArray());

    private IDataView Vectors(params float[][] rows) =>
        _ctx.Data.LoadFromEnumerable(rows.Select((v, i) => new VectorRow { V = v, S = i }).ToArray());

    private static void Near(IEnumerable<double> expected, IEnumerable<float> actual, double tolerance = 1e-6)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"element {i}: expected {e[i]}, got {a[i]}");
    }

    [Fact]
    public void MinMaxFitsMinAndRangeAndAppliesThemToNewData()
    {
        var model = _ctx.Transforms.NormalizeMinMax("Y", "X").Fit(Scalars(1, 2, 3, 4));
        Assert.Equal(NormalizerKind.MinMax, model.NormalizerKind);
        Assert.Equal(new[] { 1f }, model.Offset);
        Assert.Equal(new[] { (float)(1.0 / 3) }, model.Scale);
        Near([0, 1.0 / 3, 2.0 / 3, 1], TestViews.Floats(model.Transform(Scalars(1, 2, 3, 4)), "Y"));
        // New data is mapped with the training range, so it may leave [0, 1].
        Near([-1.0 / 3, 4.0 / 3, 0.5], TestViews.Floats(model.Transform(Scalars(0, 5, 2.5f)), "Y"));
        // The input column is kept beside the output.
        Assert.Equal(new[] { 0f, 5f, 2.5f }, TestViews.Floats(model.Transform(Scalars(0, 5, 2.5f)), "X"));
    }

    [Fact]
    public void MeanVarianceUsesThePopulationStandardDeviation()
    {
        var model = _ctx.Transforms.NormalizeMeanVariance("X").Fit(Scalars(1, 2, 3, 4));
        double sd = Math.Sqrt(1.25); // population: ((1.5² + 0.5²) · 2) / 4
        Assert.Equal(2.5f, model.Offset[0]);
        Assert.Equal((float)(1 / sd), model.Scale[0]);
        var y = TestViews.Floats(model.Transform(Scalars(1, 2, 3, 4)), "X");
        Near([-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd], y);
        Assert.Equal(0, y.Average(v => (double)v), 6);
        Assert.Equal(1, y.Average(v => (double)v * v), 6);
        Near([(10 - 2.5) / sd], TestViews.Floats(model.Transform(Scalars(10)), "X"));
    }

    [Fact]
    public void MeanVarianceStaysAccurateFarFromZero()
    {
        var model = _ctx.Transforms.NormalizeMeanVariance("X").Fit(Scalars(1_000_001, 1_000_002, 1_000_003, 1_000_004));
        Assert.Equal(1_000_002.5f, model.Offset[0]);
        Assert.Equal(1 / Math.Sqrt(1.25), model.Scale[0], 6);
    }

    [Fact]
    public void EachVectorElementIsNormalisedOnItsOwnAndAConstantElementMapsToZero()
    {
        var train = Vectors([1, 10, 5], [3, 10, 7], [5, 10, 9]);
        var minMax = _ctx.Transforms.NormalizeMinMax("V").Fit(train);
        Assert.Equal(new[] { 1f, 10f, 5f }, minMax.Offset);
        Assert.Equal(new[] { 0.25f, 1f, 0.25f }, minMax.Scale);
        Assert.Equal(new float[] { 0, 0, 0, 0.5f, 0, 0.5f, 1, 0, 1 }, TestViews.Floats(minMax.Transform(train), "V"));
        Assert.Equal(new VectorType([3]), minMax.Transform(train).Schema["V"].Type);
        Assert.Equal(new float[] { 1.25f, 2f, -0.25f }, TestViews.Floats(minMax.Transform(Vectors([6, 12, 4])), "V"));

        var meanVar = _ctx.Transforms.NormalizeMeanVariance("V").Fit(train);
        double sd = Math.Sqrt(8.0 / 3);
        Assert.Equal(new[] { 3f, 10f, 7f }, meanVar.Offset);
        Assert.Equal(new[] { (float)(1 / sd), 1f, (float)(1 / sd) }, meanVar.Scale);
        Near([-2 / sd, 0, -2 / sd, 0, 0, 0, 2 / sd, 0, 2 / sd], TestViews.Floats(meanVar.Transform(train), "V"));
    }

    [Fact]
    public void AConstantScalarColumnGetsScaleOne()
    {
        var minMax = _ctx.Transforms.NormalizeMinMax("X").Fit(Scalars(7, 7, 7));
        Assert.Equal((7f, 1f), (minMax.Offset[0], minMax.Scale[0]));
        Assert.Equal(new[] { 0f, 0f, 1f }, TestViews.Floats(minMax.Transform(Scalars(7, 7, 8)), "X"));
        var meanVar = _ctx.Transforms.NormalizeMeanVariance("X").Fit(Scalars(7, 7, 7));
        Assert.Equal((7f, 1f), (meanVar.Offset[0], meanVar.Scale[0]));
        Assert.Equal(new[] { 0f, -2f }, TestViews.Floats(meanVar.Transform(Scalars(7, 5)), "X"));
    }

    [Fact]
    public void ScaleIsTheGivenAffineMapAndReadsNoData()
    {
        var source = new CountingEnumerable<VectorRow>([new VectorRow { V = [0, 2, 4] }]);
        var model = _ctx.Transforms.NormalizeScale("Y", "V", scale: 0.5f, offset: 2).Fit(_ctx.Data.LoadFromEnumerable(source));
        Assert.Equal(0, source.Passes);
        Assert.Equal(NormalizerKind.Scale, model.NormalizerKind);
        Assert.Equal(new[] { 2f, 2f, 2f }, model.Offset);
        Assert.Equal(new[] { 0.5f, 0.5f, 0.5f }, model.Scale);
        Assert.Equal(new float[] { -1, 0, 1 }, TestViews.Floats(model.Transform(_ctx.Data.LoadFromEnumerable(source)), "Y"));
        // Pixel scaling: bytes × 1/255.
        var pixels = _ctx.Transforms.NormalizeScale("X", "X", 1f / 255).Fit(Scalars(0, 255));
        Assert.Equal(new[] { 0f, 255 * (1f / 255) }, TestViews.Floats(pixels.Transform(Scalars(0, 255)), "X"));
    }

    [Fact]
    public void MissingValuesAreSkippedWhenFittingAndStayMissing()
    {
        var model = _ctx.Transforms.NormalizeMinMax("X").Fit(Scalars(1, float.NaN, 3));
        Assert.Equal((1f, 0.5f), (model.Offset[0], model.Scale[0]));
        var y = TestViews.Floats(model.Transform(Scalars(float.NaN, 2)), "X");
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(0.5f, y[1]);
    }

    [Fact]
    public void FittingOnNoValuesIsADataError()
    {
        var empty = _ctx.Data.LoadFromEnumerable(Array.Empty<ScalarRow>());
        var e = Assert.Throws<DataFormatException>(() => _ctx.Transforms.NormalizeMeanVariance("X").Fit(empty));
        Assert.Contains("'X'", e.Message);
        Assert.Throws<DataFormatException>(() => _ctx.Transforms.NormalizeMinMax("X").Fit(Scalars(float.NaN)));
    }

    [Fact]
    public void ColumnsThatAreNotSingleOrDoNotMatchTheFittedSizeAreSchemaErrors()
    {
        var text = _ctx.Data.LoadFromEnumerable(NumberRow.Make(3));
        var e = Assert.Throws<SchemaException>(() => _ctx.Transforms.NormalizeMinMax("Name").Fit(text));
        Assert.Contains("NormalizeMinMax", e.Message);
        Assert.Contains("'Name'", e.Message);
        Assert.Throws<SchemaException>(() => _ctx.Transforms.NormalizeMinMax("Name").GetOutputSchema(text.Schema));
        Assert.Throws<SchemaException>(() => _ctx.Transforms.NormalizeMinMax("Missing").Fit(text));

        var fitted = _ctx.Transforms.NormalizeMinMax("V").Fit(Vectors([1, 2, 3], [2, 3, 4]));
        var other = new DataSchema([new("V", new VectorType([2]))]);
        var size = Assert.Throws<SchemaException>(() => fitted.GetOutputSchema(other));
        Assert.Contains("fitted on 3", size.Message);
    }

    [Fact]
    public void ExplicitOffsetsAndScalesMustHaveTheSameLength()
    {
        Assert.Throws<ArgumentException>(() => new NormalizerTransformer(NormalizerKind.Scale, "Y", "X", [0f, 1f], [1f]));
        Assert.Throws<ArgumentException>(() => new NormalizerTransformer(NormalizerKind.Scale, "Y", "X", [], []));
    }

    [Theory]
    [InlineData(NormalizerKind.MinMax, "NormalizeMinMax")]
    [InlineData(NormalizerKind.MeanVariance, "NormalizeMeanVariance")]
    [InlineData(NormalizerKind.Scale, "NormalizeScale")]
    public void SavedAndLoadedNormalisersKeepTheirKindColumnsAndParameters(NormalizerKind kind, string kindName)
    {
        var train = Vectors([1, 10, 5], [3, 10, 7], [5, 11, 9]);
        var estimator = new NormalizingEstimator(kind, "Y", "V", scale: 0.25f, offset: 1);
        var model = estimator.Fit(train);
        Assert.Equal(kindName, model.Kind);
        Assert.IsAssignableFrom<IAffineColumnTransformer>(model);
        var loaded = Assert.IsType<NormalizerTransformer>(TestViews.RoundTrip(model));
        Assert.Equal(kind, loaded.NormalizerKind);
        Assert.Equal(("Y", "V"), (loaded.OutputColumnName, loaded.InputColumnName));
        Assert.Equal(model.Offset, loaded.Offset);
        Assert.Equal(model.Scale, loaded.Scale);
        var fresh = Vectors([2, 12, 3]);
        Assert.Equal(TestViews.Floats(model.Transform(fresh), "Y"), TestViews.Floats(loaded.Transform(fresh), "Y"));
    }
}

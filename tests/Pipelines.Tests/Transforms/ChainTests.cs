using System.Text.Json.Nodes;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Chains;
using DlBook.Pipelines.Transforms.Concatenation;
using DlBook.Pipelines.Transforms.Keys;
using DlBook.Pipelines.Transforms.Normalization;

namespace DlBook.Pipelines.Tests.Transforms;

/// <summary>Estimator chains built with Append, their fitted transformer chains, laziness, ScoringChain and the transformer registry.</summary>
public sealed class ChainTests
{
    private readonly DlContext _ctx = new(1);

    public sealed class Row
    {
        public float A { get; set; }
        public float B { get; set; }
        public string Label { get; set; } = "";
    }

    public sealed class Unlabelled
    {
        public float A { get; set; }
        public float B { get; set; }
    }

    private static Row[] Rows() =>
    [
        new() { A = 1, B = 10, Label = "x" },
        new() { A = 2, B = 30, Label = "y" },
        new() { A = 3, B = 20, Label = "x" },
        new() { A = 4, B = 40, Label = "z" },
    ];

    private static void Near(double[] expected, IEnumerable<float> actual)
    {
        var a = actual.ToArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(expected[i] - a[i]) < 1e-6, $"element {i}: expected {expected[i]}, got {a[i]}");
    }

    [Fact]
    public void AppendBuildsAChainWhoseFitReturnsTheFittedStepsInOrder()
    {
        var pipeline = _ctx.Transforms.Conversion.MapValueToKey("Label")
            .Append(_ctx.Transforms.Concatenate("Features", "A", "B"))
            .Append(_ctx.Transforms.NormalizeMinMax("Features"));
        Assert.IsType<EstimatorChain<NormalizerTransformer>>(pipeline);
        Assert.Equal(3, pipeline.Estimators.Count);

        var data = _ctx.Data.LoadFromEnumerable(Rows());
        var model = pipeline.Fit(data);
        Assert.Collection(model.Transformers,
            t => Assert.IsType<ValueToKeyMappingTransformer>(t),
            t => Assert.IsType<ColumnConcatenatingTransformer>(t),
            t => Assert.IsType<NormalizerTransformer>(t));
        // The normaliser was fitted on the output of the concatenation.
        Assert.NotNull(model.LastTransformer);
        Assert.Equal(new[] { 1f, 10f }, model.LastTransformer.Offset);
        Near([1.0 / 3, 1.0 / 30], model.LastTransformer.Scale);

        var output = model.Transform(data);
        Assert.Equal(new[] { "A", "B", "Label", "Features" }, output.Schema.Select(c => c.Name));
        Assert.Equal(pipeline.GetOutputSchema(data.Schema).Select(c => c.Name), output.Schema.Select(c => c.Name));
        Assert.Equal(new uint[] { 0, 1, 0, 2 }, TestViews.Keys(output, "Label"));
        var features = TestViews.Floats(output, "Features");
        Near([0, 0, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1.0 / 3, 1, 1], features);
    }

    [Fact]
    public void EachStepIsFittedOnTheOutputOfTheStepsBeforeIt()
    {
        var data = _ctx.Data.LoadFromEnumerable(Rows());
        var model = _ctx.Transforms.NormalizeMinMax("Y", "A").Append(_ctx.Transforms.NormalizeMeanVariance("Z", "Y")).Fit(data);
        // Y = (A − 1)/3 = 0, 1/3, 2/3, 1: mean 1/2, population σ = √(5/36).
        var second = model.LastTransformer!;
        Assert.Equal(0.5, second.Offset[0], 6);
        Assert.Equal(1 / Math.Sqrt(5.0 / 36), second.Scale[0], 5);
        var z = TestViews.Floats(model.Transform(data), "Z");
        Assert.Equal(0, z.Average(v => (double)v), 6);
    }

    [Fact]
    public void FitChecksTheWholeChainsSchemaBeforeReadingAnyData()
    {
        var source = new CountingEnumerable<Row>(Rows());
        var data = _ctx.Data.LoadFromEnumerable(source);
        var pipeline = _ctx.Transforms.NormalizeMeanVariance("A").Append(_ctx.Transforms.Concatenate("F", "A", "Missing"));
        var e = Assert.Throws<SchemaException>(() => pipeline.Fit(data));
        Assert.Contains("'Missing'", e.Message);
        Assert.Equal(0, source.Passes);
        Assert.Throws<SchemaException>(() => pipeline.GetOutputSchema(data.Schema));
    }

    [Fact]
    public void TransformIsLazyAndOnlyReadsWhenBatchesAreRequested()
    {
        var source = new CountingEnumerable<Row>(Rows());
        var data = _ctx.Data.LoadFromEnumerable(source);
        var model = _ctx.Transforms.Concatenate("F", "A", "B").Append(_ctx.Transforms.NormalizeMinMax("F")).Fit(data);
        Assert.Equal(1, source.Passes); // the normaliser's fitting pass; the concatenation learns nothing
        var output = model.Transform(data);
        Assert.Equal(1, source.Passes);
        Assert.Equal(new VectorType([2]), output.Schema["F"].Type);
        Assert.Equal(1, source.Passes);
        Assert.Equal(8, TestViews.Floats(output, "F").Length);
        Assert.Equal(2, source.Passes);
    }

    [Fact]
    public void AnAppendedChainIsOneStepFittedIntoTheLastTransformerChain()
    {
        var first = _ctx.Transforms.Concatenate("F", "A", "B").Append(_ctx.Transforms.NormalizeMinMax("F"));
        var second = _ctx.Transforms.NormalizeMeanVariance("F").Append(_ctx.Transforms.NormalizeScale("B", "B", 2));
        // The start's steps are inlined; the appended chain stays one step (as in ML.NET).
        var both = first.Append(second);
        Assert.IsType<EstimatorChain<TransformerChain<NormalizerTransformer>>>(both);
        Assert.Equal(3, both.Estimators.Count);
        Assert.Single(new EstimatorChain<ITransformer>().Append(first).Estimators);

        var data = _ctx.Data.LoadFromEnumerable(Rows());
        var fitted = both.Fit(data);
        Assert.Equal(4, fitted.Transformers.Count); // flattened
        Assert.All(fitted.Transformers, t => Assert.IsNotAssignableFrom<ITransformerChain>(t));
        var last = Assert.IsType<TransformerChain<NormalizerTransformer>>(fitted.LastTransformer);
        Assert.Equal(2, last.Transformers.Count);
        Assert.Equal(NormalizerKind.Scale, last.LastTransformer!.NormalizerKind);
        // The appended chain was fitted on the output of the steps before it: F already in [0, 1], mean ½ per element.
        var offsets = ((NormalizerTransformer)last.Transformers[0]).Offset;
        Assert.Equal(0.5, offsets[0], 6);
        Assert.Equal(0.5, offsets[1], 6);
        Assert.Equal(new float[] { 20, 60, 40, 80 }, TestViews.Floats(fitted.Transform(data), "B"));
        Assert.Single(new EstimatorChain<ITransformer>().Append(first).Fit(data).Transformers.OfType<NormalizerTransformer>());
    }

    [Fact]
    public void TransformerChainsFlattenNestedChainsAndCheckTheLastStepsType()
    {
        var data = _ctx.Data.LoadFromEnumerable(Rows());
        var first = _ctx.Transforms.Concatenate("F", "A", "B").Append(_ctx.Transforms.NormalizeMinMax("F")).Fit(data);
        var second = _ctx.Transforms.NormalizeMeanVariance("A").Append(_ctx.Transforms.NormalizeScale("B", "B", 2)).Fit(data);
        var nested = new TransformerChain<NormalizerTransformer>(first, second);
        Assert.Equal(4, nested.Transformers.Count);
        Assert.All(nested.Transformers, t => Assert.IsNotAssignableFrom<ITransformerChain>(t));
        Assert.Same(second.LastTransformer, nested.LastTransformer);
        Assert.Same(second, new TransformerChain<TransformerChain<NormalizerTransformer>>(first, second).LastTransformer);

        var appended = nested.Append(new ColumnConcatenatingTransformer("G", "A", "B"));
        Assert.Equal(5, appended.Transformers.Count);
        Assert.IsType<ColumnConcatenatingTransformer>(appended.LastTransformer);
        var viaExtension = ((ITransformer)first).Append(new ColumnConcatenatingTransformer("G", "A"));
        Assert.Equal(3, viaExtension.Transformers.Count);

        var e = Assert.Throws<ArgumentException>(() => new TransformerChain<NormalizerTransformer>(new ColumnConcatenatingTransformer("G", "A")));
        Assert.Contains("ColumnConcatenatingTransformer", e.Message);
        Assert.Null(new TransformerChain<NormalizerTransformer>().LastTransformer);
        Assert.Empty(new TransformerChain<NormalizerTransformer>().Transformers);
    }

    [Fact]
    public void ScoringChainLeavesOutLabelStepsWhenTheLabelIsAbsent()
    {
        var data = _ctx.Data.LoadFromEnumerable(Rows());
        var model = _ctx.Transforms.Conversion.MapValueToKey("Label")
            .Append(_ctx.Transforms.Concatenate("F", "A", "B"))
            .Append(_ctx.Transforms.NormalizeMinMax("F"))
            .Fit(data);
        var unlabelled = _ctx.Data.LoadFromEnumerable(new[] { new Unlabelled { A = 2.5f, B = 25 } });
        Assert.Throws<SchemaException>(() => model.Transform(unlabelled));

        var scoring = Assert.IsAssignableFrom<ITransformerChain>(ScoringChain.For(model, unlabelled.Schema));
        Assert.Collection(scoring.Transformers,
            t => Assert.IsType<ColumnConcatenatingTransformer>(t),
            t => Assert.IsType<NormalizerTransformer>(t));
        Near([0.5, 0.5], TestViews.Floats(scoring.Transform(unlabelled), "F"));

        Assert.Equal(3, ((ITransformerChain)ScoringChain.For(model, data.Schema)).Transformers.Count);
        var noB = new DataSchema([new("A", ScalarType.Instance)]);
        Assert.Throws<SchemaException>(() => ScoringChain.For(model, noB));
    }

    [Fact]
    public void TheRegistryKnowsEveryPersistableTransformOfThisAssembly()
    {
        _ = _ctx.Transforms.Concatenate("F", "A"); // any use of the assembly runs its module initialiser
        foreach (var kind in new[] { "NormalizeMinMax", "NormalizeMeanVariance", "NormalizeScale", "MapValueToKey", "MapKeyToValue", "Concatenate" })
            Assert.Contains(kind, TransformerRegistry.Kinds);
    }

    [Fact]
    public void LoadingAnUnknownKindOrDamagedSettingsNamesTheSource()
    {
        var empty = new Dictionary<string, (float[], int[])>();
        var unknown = Assert.Throws<InvalidDataException>(() =>
            TransformerRegistry.Load(new TransformerLoadContext(_ctx, "NoSuchKind", new JsonObject(), empty, "m.dlbook step 3")));
        Assert.Contains("m.dlbook step 3", unknown.Message);
        Assert.Contains("'NoSuchKind'", unknown.Message);
        Assert.Contains("NormalizeMinMax", unknown.Message);

        var settings = new JsonObject { ["inputColumnName"] = "X" };
        var missing = Assert.Throws<InvalidDataException>(() =>
            TransformerRegistry.Load(new TransformerLoadContext(_ctx, "NormalizeMinMax", settings, empty, "m.dlbook step 0")));
        Assert.Contains("'outputColumnName'", missing.Message);

        var full = new JsonObject { ["inputColumnName"] = "X", ["outputColumnName"] = "X" };
        var tensor = Assert.Throws<InvalidDataException>(() =>
            TransformerRegistry.Load(new TransformerLoadContext(_ctx, "NormalizeMinMax", full, empty, "m.dlbook step 0")));
        Assert.Contains("tensor 'offset'", tensor.Message);
    }

    [Fact]
    public void AWholeFittedPipelineSurvivesSaveAndLoadStepByStep()
    {
        var data = _ctx.Data.LoadFromEnumerable(Rows());
        var model = _ctx.Transforms.Conversion.MapValueToKey("Label")
            .Append(_ctx.Transforms.Concatenate("F", "A", "B"))
            .Append(_ctx.Transforms.NormalizeMeanVariance("F"))
            .Append(_ctx.Transforms.Conversion.MapKeyToValue("Name", "Label"))
            .Fit(data);
        var loaded = new TransformerChain<ITransformer>(model.Transformers.Select(t => TestViews.RoundTrip((IPersistableTransformer)t)).ToArray());
        var expected = model.Transform(data);
        var actual = loaded.Transform(data);
        Assert.Equal(TestViews.Floats(expected, "F"), TestViews.Floats(actual, "F"));
        Assert.Equal(TestViews.Keys(expected, "Label"), TestViews.Keys(actual, "Label"));
        Assert.Equal(new[] { "x", "y", "x", "z" }, TestViews.Texts(actual, "Name"));
    }
}

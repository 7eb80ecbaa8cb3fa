using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Chains;

namespace DlBook.Pipelines.Tests.Prediction;

/// <summary>Model.CreatePredictionEngine and Data.CreateEnumerable: output columns copied into objects by name.</summary>
public sealed class PredictionEngineTests
{
    private readonly DlContext _ctx = new(1);

    public sealed class House
    {
        public float Size { get; set; }
        public float Rooms { get; set; }
        public string Label { get; set; } = "";
    }

    public sealed class UnlabelledHouse
    {
        public float Size { get; set; }
        public float Rooms { get; set; }
    }

    public sealed class Prediction
    {
        [VectorType(2)] public float[] Features { get; set; } = [];
        [ColumnName("Label")] public uint Key { get; set; }
    }

    public sealed class NamedPrediction
    {
        [ColumnName("Label")] public string Name { get; set; } = "";
        public double[] Features { get; set; } = [];
        public int Rooms { get; set; }
        public bool Size;
        public string Computed => "not a column"; // read-only: ignored
    }

    public sealed class FeaturesOnly
    {
        public float[] Features { get; set; } = [];
    }

    public sealed class Misnamed
    {
        public float[] Feature { get; set; } = [];
    }

    public sealed class WrongType
    {
        public float Features { get; set; }
    }

    private static House[] Houses() =>
    [
        new() { Size = 50, Rooms = 1, Label = "small" },
        new() { Size = 150, Rooms = 5, Label = "large" },
        new() { Size = 100, Rooms = 3, Label = "medium" },
    ];

    private ITransformer Model() => _ctx.Transforms.Conversion.MapValueToKey("Label")
        .Append(_ctx.Transforms.Concatenate("Features", "Size", "Rooms"))
        .Append(_ctx.Transforms.NormalizeMinMax("Features"))
        .Fit(_ctx.Data.LoadFromEnumerable(Houses()));

    [Fact]
    public void PredictCopiesOutputColumnsIntoMembersByNameOrColumnName()
    {
        var engine = _ctx.Model.CreatePredictionEngine<House, Prediction>(Model());
        var p = engine.Predict(new House { Size = 75, Rooms = 2, Label = "medium" });
        Assert.Equal(new[] { 0.25f, 0.25f }, p.Features);
        Assert.Equal(1u, p.Key); // large, medium, small
        var q = engine.Predict(new House { Size = 200, Rooms = 1, Label = "small" });
        Assert.Equal(new[] { 1.5f, 0f }, q.Features);
        Assert.Equal(2u, q.Key);
        Assert.Equal(new[] { 0.25f, 0.25f }, p.Features); // the first result is not overwritten
        Assert.Equal(new[] { "Size", "Rooms", "Label", "Features" }, engine.OutputSchema.Select(c => c.Name));
        Assert.Equal(new VectorType([2]), engine.OutputSchema["Features"].Type);
    }

    [Fact]
    public void KeysGoToStringMembersAsLabelNamesAndScalarsConvertToTheMemberType()
    {
        var engine = _ctx.Model.CreatePredictionEngine<House, NamedPrediction>(Model());
        var p = engine.Predict(new House { Size = 0, Rooms = 2.6f, Label = "large" });
        Assert.Equal("large", p.Name);
        Assert.Equal(new[] { -0.5, (double)((2.6f - 1) * (1f / 4)) }, p.Features);
        Assert.Equal(3, p.Rooms); // 2.6 rounded
        Assert.False(p.Size);     // 0 → false
        Assert.True(engine.Predict(new House { Size = 1, Label = "small" }).Size);
    }

    [Fact]
    public void PredictIntoAnExistingObjectReusesItsArraysWhenTheSizeFits()
    {
        var engine = _ctx.Model.CreatePredictionEngine<House, FeaturesOnly>(Model());
        var target = new FeaturesOnly { Features = new float[2] };
        var array = target.Features;
        engine.Predict(new House { Size = 100, Rooms = 3, Label = "small" }, ref target);
        Assert.Same(array, target.Features);
        Assert.Equal(new[] { 0.5f, 0.5f }, array);
        var wrongSize = new FeaturesOnly { Features = new float[5] };
        engine.Predict(new House { Size = 150, Rooms = 5, Label = "small" }, ref wrongSize);
        Assert.Equal(new[] { 1f, 1f }, wrongSize.Features);
    }

    [Fact]
    public void AScoringChainPredictsFromInputsWithoutTheLabel()
    {
        var model = Model();
        var schema = _ctx.Data.LoadFromEnumerable(Array.Empty<UnlabelledHouse>()).Schema;
        Assert.Throws<SchemaException>(() => _ctx.Model.CreatePredictionEngine<UnlabelledHouse, FeaturesOnly>(model));
        var engine = _ctx.Model.CreatePredictionEngine<UnlabelledHouse, FeaturesOnly>(ScoringChain.For(model, schema));
        Assert.Equal(new[] { 0.5f, 0.5f }, engine.Predict(new UnlabelledHouse { Size = 100, Rooms = 3 }).Features);
    }

    [Fact]
    public void OutputMembersWithoutAColumnOrOfTheWrongTypeAreSchemaErrorsAtCreation()
    {
        var model = Model();
        var missing = Assert.Throws<SchemaException>(() => _ctx.Model.CreatePredictionEngine<House, Misnamed>(model));
        Assert.Contains("Misnamed.Feature", missing.Message);
        Assert.Contains("'Feature'", missing.Message);
        Assert.Contains("Features (Vector<Single>[2])", missing.Message);
        var wrong = Assert.Throws<SchemaException>(() => _ctx.Model.CreatePredictionEngine<House, WrongType>(model));
        Assert.Contains("WrongType.Features", wrong.Message);
        Assert.Contains("float[]", wrong.Message);
        var engine = _ctx.Model.CreatePredictionEngine<House, FeaturesOnly>(model);
        Assert.Throws<ArgumentNullException>(() => engine.Predict(null!));
    }

    [Fact]
    public void AValueUnseenByTheModelFailsThePrediction()
    {
        var engine = _ctx.Model.CreatePredictionEngine<House, Prediction>(Model());
        Assert.Throws<DataFormatException>(() => engine.Predict(new House { Size = 1, Rooms = 1, Label = "huge" }));
        // The engine is still usable afterwards.
        Assert.Equal(0u, engine.Predict(new House { Size = 1, Rooms = 1, Label = "large" }).Key);
    }

    [Fact]
    public void CreateEnumerableReadsTransformedRowsWithVectorSizesAndLabelNames()
    {
        var data = _ctx.Data.LoadFromEnumerable(Houses());
        var rows = _ctx.Data.CreateEnumerable<NamedPrediction>(Model().Transform(data)).ToList();
        Assert.Equal(new[] { "small", "large", "medium" }, rows.Select(r => r.Name));
        Assert.All(rows, r => Assert.Equal(2, r.Features.Length));
        Assert.Equal(new[] { 0.0, 0.0 }, rows[0].Features);
        Assert.Equal(new[] { 1.0, 1.0 }, rows[1].Features);
        Assert.Equal(new[] { 0.5, 0.5 }, rows[2].Features);
        Assert.Equal(new[] { 1, 5, 3 }, rows.Select(r => r.Rooms));

        var keys = _ctx.Data.CreateEnumerable<Prediction>(Model().Transform(data)).Select(p => p.Key);
        Assert.Equal(new uint[] { 2, 0, 1 }, keys);
    }

    public sealed class FourVector
    {
        public float[] F { get; set; } = [];
    }

    [Fact]
    public void CreateEnumerableSizesFloatArraysToTheVectorColumn()
    {
        var data = _ctx.Data.LoadFromEnumerable(new[] { new VectorRow { V = [1, 2, 3], S = 4 } });
        var concatenated = _ctx.Transforms.Concatenate("F", "V", "S", "S").Fit(data).Transform(data);
        var row = Assert.Single(_ctx.Data.CreateEnumerable<FourVector>(concatenated));
        Assert.Equal(new float[] { 1, 2, 3, 4, 4 }, row.F);
    }
}

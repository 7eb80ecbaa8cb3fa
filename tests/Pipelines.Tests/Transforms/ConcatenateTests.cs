using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Concatenation;

namespace DlBook.Pipelines.Tests.Transforms;

/// <summary>Transforms.Concatenate.</summary>
public sealed class ConcatenateTests
{
    private readonly DlContext _ctx = new(1);

    private IDataView Data() => _ctx.Data.LoadFromEnumerable(new[]
    {
        new VectorRow { V = [1, 2, 3], S = 4 },
        new VectorRow { V = [5, 6, 7], S = 8 },
    });

    [Fact]
    public void VectorAndScalarColumnsAreJoinedInTheOrderGiven()
    {
        var output = _ctx.Transforms.Concatenate("Features", "V", "S").Fit(Data()).Transform(Data());
        Assert.Equal(new VectorType([4]), output.Schema["Features"].Type);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, TestViews.Floats(output, "Features"));

        var reversed = _ctx.Transforms.Concatenate("Features", "S", "V").Fit(Data()).Transform(Data());
        Assert.Equal(new float[] { 4, 1, 2, 3, 8, 5, 6, 7 }, TestViews.Floats(reversed, "Features"));

        var twice = _ctx.Transforms.Concatenate("Features", "S", "V", "S").Fit(Data()).Transform(Data());
        Assert.Equal(new VectorType([5]), twice.Schema["Features"].Type);
        Assert.Equal(new float[] { 4, 1, 2, 3, 4, 8, 5, 6, 7, 8 }, TestViews.Floats(twice, "Features"));
    }

    [Fact]
    public void TheOutputKeepsTheInputsOrReplacesAColumnOfItsName()
    {
        var output = _ctx.Transforms.Concatenate("Features", "V", "S").Fit(Data()).Transform(Data());
        Assert.Equal(new[] { "V", "S", "Features" }, output.Schema.Select(c => c.Name));
        Assert.Equal(new float[] { 4, 8 }, TestViews.Floats(output, "S"));

        var replaced = _ctx.Transforms.Concatenate("V", "V", "S").Fit(Data()).Transform(Data());
        Assert.Equal(new[] { "V", "S" }, replaced.Schema.Select(c => c.Name));
        Assert.Equal(new VectorType([4]), replaced.Schema["V"].Type);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, TestViews.Floats(replaced, "V"));
    }

    [Fact]
    public void ShuffledBatchesConcatenateTheRowsTheyHold()
    {
        var rows = Enumerable.Range(0, 40).Select(i => new VectorRow { V = [i, i, i], S = i }).ToArray();
        var data = _ctx.Data.LoadFromEnumerable(rows);
        var output = _ctx.Transforms.Concatenate("F", "V", "S").Fit(data).Transform(data);
        foreach (var batch in output.GetBatches(new BatchOptions { BatchSize = 7, ShuffleSeed = 2, Columns = ["F", "S"] }))
        {
            var f = batch.Get<FloatColumnData>("F");
            var s = batch.Get<FloatColumnData>("S");
            for (int r = 0; r < batch.RowCount; r++) Assert.Equal(Enumerable.Repeat(s.Values[r], 4), f.Row(r).ToArray());
        }
    }

    [Fact]
    public void NonFloatOrMissingInputsAreSchemaErrors()
    {
        var text = _ctx.Data.LoadFromEnumerable(NumberRow.Make(2));
        var e = Assert.Throws<SchemaException>(() => _ctx.Transforms.Concatenate("F", "X", "Name").Fit(text));
        Assert.Contains("Concatenate", e.Message);
        Assert.Contains("'Name'", e.Message);
        var missing = Assert.Throws<SchemaException>(() => _ctx.Transforms.Concatenate("F", "X", "Y").Fit(text));
        Assert.Contains("'Y'", missing.Message);
        Assert.Throws<ArgumentException>(() => _ctx.Transforms.Concatenate("F"));
    }

    [Fact]
    public void ASavedAndLoadedConcatenationJoinsTheSameColumns()
    {
        var model = _ctx.Transforms.Concatenate("F", "S", "V").Fit(Data());
        Assert.Equal("Concatenate", model.Kind);
        var loaded = Assert.IsType<ColumnConcatenatingTransformer>(TestViews.RoundTrip(model));
        Assert.Equal("F", loaded.OutputColumnName);
        Assert.Equal(new[] { "S", "V" }, loaded.InputColumnNames);
        Assert.Equal(TestViews.Floats(model.Transform(Data()), "F"), TestViews.Floats(loaded.Transform(Data()), "F"));
    }
}

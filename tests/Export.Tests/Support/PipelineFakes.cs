using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Export.Tests.Support;

/// <summary>y = (x − offset) × scale on one column, as the pipelines' normalisers declare it.</summary>
internal sealed class FakeAffine(string input, string output, float[] offset, float[] scale) : IAffineColumnTransformer
{
    public string InputColumnName => input;
    public string OutputColumnName => output;
    public IReadOnlyList<float> Offset => offset;
    public IReadOnlyList<float> Scale => scale;
    public DataSchema GetOutputSchema(DataSchema s) => s.With(new DataColumn(output, s[input].Type));
    public IDataView Transform(IDataView input) => throw new NotSupportedException();

    public float[] Apply(float[] x, int size)
    {
        var y = new float[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = (x[i] - offset[i % size]) * scale[i % size];
        return y;
    }
}

/// <summary>A step that only touches the label (like MapValueToKey).</summary>
internal sealed class FakeKeyMapping : ITransformer
{
    public DataSchema GetOutputSchema(DataSchema s) => s.With(new DataColumn("Label", new KeyType(10, null)));
    public IDataView Transform(IDataView input) => throw new NotSupportedException();
}

/// <summary>A non-affine step that rewrites the feature column to another shape (cannot be folded).</summary>
internal sealed class FakeReshape(string column, int size) : ITransformer
{
    public DataSchema GetOutputSchema(DataSchema s) => s.With(new DataColumn(column, new VectorType([size])));
    public IDataView Transform(IDataView input) => throw new NotSupportedException();
}

internal sealed class FakeChain(params ITransformer[] steps) : ITransformerChain
{
    public IReadOnlyList<ITransformer> Transformers => steps;
    public DataSchema GetOutputSchema(DataSchema s) => steps.Aggregate(s, (acc, t) => t.GetOutputSchema(acc));
    public IDataView Transform(IDataView input) => throw new NotSupportedException();
}

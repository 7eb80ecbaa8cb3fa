using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Trainers.Tests.Packaging;

/// <summary>A minimal chain for save tests that do not need the pipelines' own chain.</summary>
internal sealed class TestChain(params ITransformer[] steps) : ITransformerChain
{
    public IReadOnlyList<ITransformer> Transformers => steps;
    public DataSchema GetOutputSchema(DataSchema inputSchema) => steps.Aggregate(inputSchema, (s, t) => t.GetOutputSchema(s));
    public IDataView Transform(IDataView input) => steps.Aggregate(input, (v, t) => t.Transform(v));
}

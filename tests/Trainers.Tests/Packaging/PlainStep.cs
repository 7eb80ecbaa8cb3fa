using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Trainers.Tests.Packaging;

/// <summary>A step that cannot be persisted.</summary>
internal sealed class PlainStep : ITransformer
{
    public DataSchema GetOutputSchema(DataSchema inputSchema) => inputSchema;
    public IDataView Transform(IDataView input) => input;
}

using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Core;

/// <summary>A fitted step of a pipeline: maps a data view to another, lazily (ML.NET's ITransformer).</summary>
public interface ITransformer
{
    /// <summary>The schema <see cref="Transform"/> would produce for an input with <paramref name="inputSchema"/>; throws <see cref="SchemaException"/> when an input column is missing or of the wrong type.</summary>
    DataSchema GetOutputSchema(DataSchema inputSchema);

    /// <summary>Wraps <paramref name="input"/>; nothing is computed until batches are requested.</summary>
    IDataView Transform(IDataView input);
}

using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Views;

namespace DlBook.Pipelines.Transforms;

/// <summary>A mapped view that computes one output column from some input columns with a function of the batch.</summary>
internal sealed class ColumnMapDataView(IDataView source, DataSchema schema, string output, IReadOnlyList<string> inputs,
    Func<DataBatch, ColumnData> map) : MappedDataView(source, schema, [output], inputs)
{
    protected override IReadOnlyDictionary<string, ColumnData> Map(DataBatch input) =>
        new Dictionary<string, ColumnData> { [output] = map(input) };
}

namespace DlBook.Pipelines.Data;

/// <summary>
/// A lazy, columnar view of data: a schema and batches produced on demand. Loaders stream from
/// files; transforms wrap a view and map its batches. Views are immutable and can be enumerated
/// many times (once per epoch).
/// </summary>
public interface IDataView
{
    /// <summary>The columns.</summary>
    DataSchema Schema { get; }

    /// <summary>Number of rows when known without a pass over the data.</summary>
    long? RowCount { get; }

    /// <summary>Enumerates batches as <paramref name="options"/> says.</summary>
    IEnumerable<DataBatch> GetBatches(BatchOptions options);
}

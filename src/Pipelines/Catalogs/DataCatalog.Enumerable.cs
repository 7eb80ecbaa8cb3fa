using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Mapping;
using DlBook.Pipelines.Loaders.Enumerable;

namespace DlBook.Pipelines.Catalogs;

public sealed partial class DataCatalog
{
    /// <summary>
    /// A view over objects (ML.NET's LoadFromEnumerable): each public field or property is a column —
    /// float/double/int/bool → scalar (bool as 0/1), float[] with [VectorType(n)] or [VectorType(c,h,w)] → vector,
    /// string → text, uint with [KeyType(count)] → key (0-based); [ColumnName] renames. The enumerable is read again
    /// on every pass, so it must be re-enumerable.
    /// </summary>
    /// <exception cref="SchemaException">A member's type maps to no column type (the message names the member).</exception>
    public IDataView LoadFromEnumerable<T>(IEnumerable<T> data) where T : class
    {
        ArgumentNullException.ThrowIfNull(data);
        return new EnumerableDataView<T>(data);
    }

    /// <summary>
    /// The rows of a view as objects (ML.NET's CreateEnumerable): every writable public member of T is filled from the
    /// column of its name (or [ColumnName]). Keys go to uint members as 0-based indices, or to string members as label names.
    /// With <paramref name="reuseRowObject"/> one object is refilled for every row (copy what you keep).
    /// </summary>
    /// <exception cref="SchemaException">A member has no column of its name, or a type that cannot hold it.</exception>
    public IEnumerable<T> CreateEnumerable<T>(IDataView data, bool reuseRowObject = false) where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        var reader = new RowReader<T>(data.Schema);
        return Iterate(data, reader, reuseRowObject);
    }

    private static IEnumerable<T> Iterate<T>(IDataView data, RowReader<T> reader, bool reuse) where T : class, new()
    {
        T? shared = reuse ? new T() : null;
        foreach (var batch in data.GetBatches(new BatchOptions { BatchSize = 1024, Columns = reader.Columns }))
            for (int r = 0; r < batch.RowCount; r++)
            {
                var row = shared ?? new T();
                reader.Read(batch, r, row);
                yield return row;
            }
    }
}

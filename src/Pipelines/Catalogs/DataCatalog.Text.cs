using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Mapping;
using DlBook.Pipelines.Loaders.Text;

namespace DlBook.Pipelines.Catalogs;

public sealed partial class DataCatalog
{
    /// <summary>
    /// A CSV/TSV file as a view (ML.NET's LoadFromTextFile). The file is parsed batch by batch on every pass, never
    /// held whole in memory (a shuffled pass caches it). A bad row fails when it is read, with a
    /// <see cref="DataFormatException"/> naming the file, line, column and field.
    /// </summary>
    public IDataView LoadFromTextFile(string path, TextLoaderOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
        return new TextLoaderDataView(path, options);
    }

    /// <summary>A CSV/TSV file with the given columns; <paramref name="separatorChar"/> null detects it (see <see cref="TextLoaderOptions.Separator"/>).</summary>
    public IDataView LoadFromTextFile(string path, TextLoaderColumn[] columns, char? separatorChar = null, bool hasHeader = false) =>
        LoadFromTextFile(path, new TextLoaderOptions { Columns = columns, Separator = separatorChar, HasHeader = hasHeader });

    /// <summary>
    /// A CSV/TSV file whose columns come from T's members with <c>[LoadColumn(i)]</c> (one field) or
    /// <c>[LoadColumn(start, end)]</c> (a float[] vector), like ML.NET: float/double/int → number, bool → boolean,
    /// string → text, uint with [KeyType(n)] → key; [ColumnName] renames. <paramref name="separatorChar"/> null detects it
    /// (ML.NET's default is tab).
    /// </summary>
    public IDataView LoadFromTextFile<T>(string path, char? separatorChar = null, bool hasHeader = false, bool? allowQuoting = null)
    {
        var columns = new List<TextLoaderColumn>();
        foreach (var m in RowTypeMap.For(typeof(T)).Where(m => m.Load is not null))
        {
            var load = m.Load!;
            var t = m.MemberType;
            DataKind kind = m.Key is not null ? DataKind.Key
                : t == typeof(string) ? DataKind.String
                : t == typeof(bool) ? DataKind.Boolean
                : MemberColumn.IsScalar(t) || t == typeof(float[]) || t == typeof(double[]) ? DataKind.Single
                : throw new SchemaException($"{m.Describe(typeof(T))} has type {t.Name}, which a text column cannot fill.");
            if (load.End > load.Start && t != typeof(float[]) && t != typeof(double[]))
                throw new SchemaException($"{m.Describe(typeof(T))} loads fields {load.Start}..{load.End} but is {t.Name}; a range needs a float[] member.");
            if (m.Vector is { } v && v.Dimensions.Aggregate(1, (a, b) => a * b) != load.End - load.Start + 1)
                throw new SchemaException($"{m.Describe(typeof(T))}: [VectorType] size {v.Dimensions.Aggregate(1, (a, b) => a * b)} differs from the {load.End - load.Start + 1} fields of [LoadColumn({load.Start}, {load.End})].");
            columns.Add(new TextLoaderColumn(m.ColumnName, kind, load.Start, load.End) { KeyCount = m.Key?.Count });
        }
        if (columns.Count == 0)
            throw new SchemaException($"{typeof(T).Name} has no member with [LoadColumn]; mark the fields to read.");
        return LoadFromTextFile(path, new TextLoaderOptions { Columns = columns, Separator = separatorChar, HasHeader = hasHeader, AllowQuoting = allowQuoting });
    }
}

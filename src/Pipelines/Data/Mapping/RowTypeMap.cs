using System.Collections.Concurrent;
using System.Reflection;

namespace DlBook.Pipelines.Data.Mapping;

/// <summary>The public fields and properties of a row class, in declaration order, as columns (cached per type).</summary>
internal static class RowTypeMap
{
    private static readonly ConcurrentDictionary<Type, MemberColumn[]> Cache = new();

    public static MemberColumn[] For(Type type) => Cache.GetOrAdd(type, t =>
    {
        var members = t.GetMembers(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m is FieldInfo || (m is PropertyInfo p && p.GetIndexParameters().Length == 0))
            .OrderBy(m => m.MetadataToken)
            .Select(m => new MemberColumn(m))
            .ToArray();
        var dup = members.GroupBy(m => m.ColumnName).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
            throw new SchemaException($"{t.Name}: members {string.Join(", ", dup.Select(d => d.MemberName))} all map to column '{dup.Key}'; rename one with [ColumnName].");
        return members;
    });

    /// <summary>The schema of a row class (LoadFromEnumerable).</summary>
    public static DataSchema SchemaFor(Type type) =>
        new(For(type).Where(m => m.CanRead).Select(m => new DataColumn(m.ColumnName, m.ColumnTypeFor(type))));
}

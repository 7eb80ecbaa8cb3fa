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
            .OrderBy(m => DeclarationOrder(t, m))
            .Select(m => new MemberColumn(m))
            .ToArray();
        var dup = members.GroupBy(m => m.ColumnName).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
            throw new SchemaException($"{t.Name}: members {string.Join(", ", dup.Select(d => d.MemberName))} all map to column '{dup.Key}'; rename one with [ColumnName].");
        return members;
    });

    /// <summary>
    /// Fields and auto-properties in source order: metadata keeps fields (auto-properties' backing fields included)
    /// in declaration order, but lists properties in a separate table; other properties go last.
    /// </summary>
    private static long DeclarationOrder(Type t, MemberInfo m)
    {
        if (m is FieldInfo) return m.MetadataToken & 0xFFFFFF;
        var backing = t.GetField($"<{m.Name}>k__BackingField", BindingFlags.NonPublic | BindingFlags.Instance);
        return backing is not null ? backing.MetadataToken & 0xFFFFFF : (1L << 32) + (m.MetadataToken & 0xFFFFFF);
    }

    /// <summary>The schema of a row class (LoadFromEnumerable).</summary>
    public static DataSchema SchemaFor(Type type) =>
        new(For(type).Where(m => m.CanRead).Select(m => new DataColumn(m.ColumnName, m.ColumnTypeFor(type))));
}

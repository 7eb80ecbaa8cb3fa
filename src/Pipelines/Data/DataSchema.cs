using System.Collections;

namespace DlBook.Pipelines.Data;

/// <summary>An ordered set of uniquely named columns.</summary>
public sealed class DataSchema : IReadOnlyList<DataColumn>
{
    private readonly List<DataColumn> _columns;

    /// <summary>Creates a schema; names must be unique.</summary>
    public DataSchema(IEnumerable<DataColumn> columns)
    {
        _columns = columns.ToList();
        var dup = _columns.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"Column '{dup.Key}' appears more than once in the schema.");
    }

    /// <inheritdoc />
    public DataColumn this[int index] => _columns[index];

    /// <summary>The column named <paramref name="name"/>; throws <see cref="SchemaException"/> naming the available columns if absent.</summary>
    public DataColumn this[string name] => GetColumnOrNull(name)
        ?? throw new SchemaException($"Column '{name}' not found. Available columns: {string.Join(", ", _columns.Select(c => $"{c.Name} ({c.Type.Describe()})"))}.");

    /// <summary>The column or null.</summary>
    public DataColumn? GetColumnOrNull(string name) => _columns.FirstOrDefault(c => c.Name == name);

    /// <inheritdoc />
    public int Count => _columns.Count;

    /// <summary>A new schema with <paramref name="column"/> added or replacing a column of the same name (ML.NET hides the old one; we replace it in place).</summary>
    public DataSchema With(DataColumn column)
    {
        var list = _columns.ToList();
        int i = list.FindIndex(c => c.Name == column.Name);
        if (i >= 0) list[i] = column; else list.Add(column);
        return new DataSchema(list);
    }

    /// <inheritdoc />
    public IEnumerator<DataColumn> GetEnumerator() => _columns.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _columns.Select(c => $"{c.Name}: {c.Type.Describe()}"));
}

namespace DlBook.Pipelines.Data;

/// <summary>A named, typed column of a schema.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Column type.</param>
public sealed record DataColumn(string Name, ColumnType Type);

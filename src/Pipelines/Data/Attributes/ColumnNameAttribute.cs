namespace DlBook.Pipelines.Data;

/// <summary>The column a member maps to, when it differs from the member's name (ML.NET's ColumnName).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ColumnNameAttribute(string name) : Attribute
{
    /// <summary>The column name.</summary>
    public string Name { get; } = name;
}

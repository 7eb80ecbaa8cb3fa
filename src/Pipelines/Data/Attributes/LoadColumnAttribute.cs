namespace DlBook.Pipelines.Data;

/// <summary>
/// The source column(s) of a field when a text file is loaded into a class (ML.NET's LoadColumn):
/// one index for a scalar or text field, an inclusive range for a <c>float[]</c> vector.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class LoadColumnAttribute : Attribute
{
    /// <summary>One source column, 0-based.</summary>
    public LoadColumnAttribute(int columnIndex) { Start = End = columnIndex; }

    /// <summary>Source columns <paramref name="start"/> to <paramref name="end"/>, inclusive, 0-based.</summary>
    public LoadColumnAttribute(int start, int end) { Start = start; End = end; }

    /// <summary>First source column.</summary>
    public int Start { get; }

    /// <summary>Last source column (inclusive).</summary>
    public int End { get; }
}

namespace DlBook.Pipelines.Loaders.Text;

/// <summary>How the text loader reads a column's fields (a subset of ML.NET's DataKind).</summary>
public enum DataKind
{
    /// <summary>A number (float32): one field → scalar, a range of fields → vector. An empty field reads as NaN (missing).</summary>
    Single,
    /// <summary>Text, one field.</summary>
    String,
    /// <summary>true/false or 1/0 → scalar 1/0.</summary>
    Boolean,
    /// <summary>A 0-based class index in 0..KeyCount−1 (set <see cref="TextLoaderColumn.KeyCount"/>).</summary>
    Key,
}

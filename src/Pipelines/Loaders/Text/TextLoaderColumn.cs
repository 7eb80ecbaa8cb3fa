namespace DlBook.Pipelines.Loaders.Text;

/// <summary>A column of the text loader: a name, a kind and the 0-based source field(s) (ML.NET's TextLoader.Column).</summary>
public sealed record TextLoaderColumn
{
    /// <summary>A column read from one field.</summary>
    public TextLoaderColumn(string name, DataKind kind, int index) : this(name, kind, index, index) { }

    /// <summary>A column read from fields <paramref name="minIndex"/>..<paramref name="maxIndex"/> (inclusive); more than one field makes a vector.</summary>
    public TextLoaderColumn(string name, DataKind kind, int minIndex, int maxIndex)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (minIndex < 0 || maxIndex < minIndex)
            throw new ArgumentOutOfRangeException(nameof(maxIndex), $"Column '{name}': field range {minIndex}..{maxIndex} is not a valid 0-based range.");
        if (kind != DataKind.Single && maxIndex != minIndex)
            throw new ArgumentException($"Column '{name}': only {nameof(DataKind.Single)} columns can span several fields (a vector); {kind} reads one field.");
        Name = name;
        Kind = kind;
        MinIndex = minIndex;
        MaxIndex = maxIndex;
    }

    /// <summary>Column name.</summary>
    public string Name { get; }
    /// <summary>How the field(s) are read.</summary>
    public DataKind Kind { get; }
    /// <summary>First source field, 0-based.</summary>
    public int MinIndex { get; }
    /// <summary>Last source field (inclusive).</summary>
    public int MaxIndex { get; }
    /// <summary>Number of classes of a <see cref="DataKind.Key"/> column.</summary>
    public int? KeyCount { get; init; }
}

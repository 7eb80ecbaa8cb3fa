namespace DlBook.Pipelines.Data;

/// <summary>
/// The type of a data-view column. Kinds: scalar, key (class index with label names),
/// fixed-shape vector/tensor, variable-length sequence, image, text.
/// </summary>
public abstract record ColumnType
{
    /// <summary>A human-readable description, e.g. "Vector&lt;Single&gt;[784]".</summary>
    public abstract string Describe();
}

/// <summary>A single float per row (stored as float32).</summary>
public sealed record ScalarType : ColumnType
{
    /// <summary>The one instance.</summary>
    public static readonly ScalarType Instance = new();
    /// <inheritdoc />
    public override string Describe() => "Single";
}

/// <summary>A class index 0..Count-1 per row (stored as uint32), with the original label values as names.</summary>
/// <param name="Count">Number of classes.</param>
/// <param name="LabelNames">Original values, index i ↔ key i; may be null when unknown.</param>
public sealed record KeyType(int Count, IReadOnlyList<string>? LabelNames) : ColumnType
{
    /// <inheritdoc />
    public override string Describe() => $"Key<UInt32, 0-{Count - 1}>";
}

/// <summary>A fixed-shape float32 tensor per row (e.g. [784] or [3, 64, 64]).</summary>
/// <param name="Shape">Per-row shape.</param>
public sealed record VectorType(int[] Shape) : ColumnType
{
    /// <summary>Elements per row.</summary>
    public int Size => Shape.Aggregate(1, (a, b) => a * b);
    /// <inheritdoc />
    public override string Describe() => $"Vector<Single>[{string.Join(",", Shape)}]";
    /// <inheritdoc />
    public bool Equals(VectorType? other) => other is not null && Shape.AsSpan().SequenceEqual(other.Shape);
    /// <inheritdoc />
    public override int GetHashCode() => Shape.Aggregate(17, (h, d) => h * 31 + d);
}

/// <summary>A variable-length sequence of float32 elements of a fixed element shape per row (time series, token ids).</summary>
/// <param name="ElementShape">Shape of one time step, e.g. [1] or [2].</param>
public sealed record SequenceType(int[] ElementShape) : ColumnType
{
    /// <inheritdoc />
    public override string Describe() => $"Sequence<Single[{string.Join(",", ElementShape)}]>";
    /// <inheritdoc />
    public bool Equals(SequenceType? other) => other is not null && ElementShape.AsSpan().SequenceEqual(other.ElementShape);
    /// <inheritdoc />
    public override int GetHashCode() => ElementShape.Aggregate(19, (h, d) => h * 31 + d);
}

/// <summary>A decoded image per row, stored as bytes in height × width × channels (HWC) order.</summary>
/// <param name="Height">Rows of pixels (0 when images vary in size before resizing).</param>
/// <param name="Width">Columns of pixels (0 when images vary in size).</param>
/// <param name="Channels">1 (grey), 3 (RGB) or 4 (RGBA).</param>
public sealed record ImageType(int Height, int Width, int Channels) : ColumnType
{
    /// <inheritdoc />
    public override string Describe() => $"Image<{Height}x{Width}x{Channels}>";
}

/// <summary>A string per row.</summary>
public sealed record TextType : ColumnType
{
    /// <summary>The one instance.</summary>
    public static readonly TextType Instance = new();
    /// <inheritdoc />
    public override string Describe() => "String";
}

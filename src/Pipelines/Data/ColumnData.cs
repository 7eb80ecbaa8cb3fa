namespace DlBook.Pipelines.Data;

/// <summary>One column's values for the rows of a batch, in one contiguous buffer.</summary>
public abstract class ColumnData
{
    /// <summary>Rows in this buffer.</summary>
    public abstract int RowCount { get; }
}

/// <summary>Scalar or fixed-shape vector values: <c>Values[row * RowSize + i]</c>.</summary>
public sealed class FloatColumnData(float[] values, int rowCount, int rowSize) : ColumnData
{
    /// <summary>Row-major values; may be longer than RowCount × RowSize.</summary>
    public float[] Values { get; } = values;
    /// <inheritdoc />
    public override int RowCount { get; } = rowCount;
    /// <summary>Elements per row (1 for scalars).</summary>
    public int RowSize { get; } = rowSize;
    /// <summary>The values of one row.</summary>
    public ReadOnlySpan<float> Row(int r) => Values.AsSpan(r * RowSize, RowSize);
}

/// <summary>Key values (class indices) per row.</summary>
public sealed class KeyColumnData(uint[] keys, int rowCount) : ColumnData
{
    /// <summary>Class index per row.</summary>
    public uint[] Keys { get; } = keys;
    /// <inheritdoc />
    public override int RowCount { get; } = rowCount;
}

/// <summary>Text per row.</summary>
public sealed class TextColumnData(string[] values) : ColumnData
{
    /// <summary>One string per row.</summary>
    public string[] Values { get; } = values;
    /// <inheritdoc />
    public override int RowCount => Values.Length;
}

/// <summary>
/// Variable-length sequences: all rows' steps concatenated in <see cref="Values"/>; row r spans
/// steps <c>Offsets[r]</c> to <c>Offsets[r+1]</c> (exclusive), each step of <see cref="ElementSize"/> floats.
/// </summary>
public sealed class SequenceColumnData(float[] values, int[] offsets, int elementSize) : ColumnData
{
    /// <summary>Concatenated steps.</summary>
    public float[] Values { get; } = values;
    /// <summary>RowCount + 1 step offsets.</summary>
    public int[] Offsets { get; } = offsets;
    /// <summary>Floats per step.</summary>
    public int ElementSize { get; } = elementSize;
    /// <inheritdoc />
    public override int RowCount => Offsets.Length - 1;
    /// <summary>Number of steps in row r.</summary>
    public int Length(int r) => Offsets[r + 1] - Offsets[r];
}

/// <summary>Decoded images, HWC bytes, all of the same size: <c>Pixels[row * H*W*C + …]</c>.</summary>
public sealed class ImageColumnData(byte[] pixels, int rowCount, int height, int width, int channels) : ColumnData
{
    /// <summary>HWC pixels of all rows.</summary>
    public byte[] Pixels { get; } = pixels;
    /// <inheritdoc />
    public override int RowCount { get; } = rowCount;
    /// <summary>Image height.</summary>
    public int Height { get; } = height;
    /// <summary>Image width.</summary>
    public int Width { get; } = width;
    /// <summary>Channels per pixel.</summary>
    public int Channels { get; } = channels;
}

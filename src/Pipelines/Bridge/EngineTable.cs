namespace DlBook.Pipelines.Bridge;

/// <summary>
/// Rows of an ML.NET data view held in memory the engine owns: the feature vectors (as floats, or as bytes when every
/// value is a byte × 1/255 or a whole byte, which keeps MNIST at 47 MB) and the label as a 0-based class index or a
/// float target. Mini-batches are gathered from it in any row order with <see cref="GatherFeatures"/>.
/// </summary>
public sealed class EngineTable
{
    private float[]? _floats;
    private byte[]? _bytes;
    private readonly float _byteScale;

    internal EngineTable(int rows, int[] featureShape, float[]? floats, byte[]? bytes, float byteScale, uint[]? classes, float[]? targets, long[]? sourceRows)
    {
        Rows = rows;
        FeatureShape = featureShape;
        FeatureSize = featureShape.Aggregate(1, (a, b) => a * b);
        _floats = floats;
        _bytes = bytes;
        _byteScale = byteScale;
        Classes = classes;
        Targets = targets;
        SourceRows = sourceRows;
    }

    /// <summary>Rows held.</summary>
    public int Rows { get; }
    /// <summary>Per-row shape of the features (the vector column's dimensions).</summary>
    public int[] FeatureShape { get; }
    /// <summary>Floats per row.</summary>
    public int FeatureSize { get; }
    /// <summary>The label as a 0-based class index (key − 1, or false/true as 0/1), or null.</summary>
    public uint[]? Classes { get; }
    /// <summary>The label as a float (regression, or a 0/1 binary label), or null.</summary>
    public float[]? Targets { get; }
    /// <summary>True when the features are held as bytes (scaled on the way out).</summary>
    public bool FeaturesAsBytes => _bytes is not null;
    /// <summary>Bytes of memory the features and labels take.</summary>
    public long Bytes => (long)Rows * FeatureSize * (FeaturesAsBytes ? 1 : 4) + (Classes?.LongLength ?? 0) * 4 + (Targets?.LongLength ?? 0) * 4;

    /// <summary>Gives the feature memory back to the shared pool; the table must not be read afterwards.</summary>
    internal void Release()
    {
        if (_bytes is { } b) System.Buffers.ArrayPool<byte>.Shared.Return(b);
        if (_floats is { Length: > 0 } f) System.Buffers.ArrayPool<float>.Shared.Return(f);
        _bytes = null;
        _floats = null;
    }

    /// <summary>
    /// The row of the source data view each row came from, when rows were skipped (missing label or features); null
    /// when row i is source row i (plus the chunk's offset when streaming).
    /// </summary>
    internal long[]? SourceRows { get; }

    /// <summary>Source row number of table row <paramref name="row"/> (for messages).</summary>
    public long SourceRow(int row, long offset = 0) => SourceRows is { } s ? s[row] : offset + row;

    /// <summary>Copies rows order[start..start+count) (or start..start+count when order is null) into <paramref name="dst"/>, row after row.</summary>
    public void GatherFeatures(int[]? order, int start, int count, Span<float> dst)
    {
        int size = FeatureSize;
        if (dst.Length < count * size)
            throw new ArgumentException($"The destination holds {dst.Length} floats; {count} rows of {size} need {count * size}.", nameof(dst));
        if (_bytes is { } bytes)
        {
            if (order is null) ByteScaling.Scale(bytes.AsSpan(start * size, count * size), dst, _byteScale);
            else
                for (int i = 0; i < count; i++)
                    ByteScaling.Scale(bytes.AsSpan(order[start + i] * size, size), dst.Slice(i * size, size), _byteScale);
            return;
        }
        var floats = _floats ?? throw new ObjectDisposedException(nameof(EngineTable), "The table was released when its training ended.");
        if (order is null) floats.AsSpan(start * size, count * size).CopyTo(dst);
        else
            for (int i = 0; i < count; i++)
                floats.AsSpan(order[start + i] * size, size).CopyTo(dst.Slice(i * size, size));
    }
}

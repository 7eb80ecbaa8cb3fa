namespace DlBook.Export.Runtime;

/// <summary>
/// A named dense tensor going into or coming out of a session. Input buffers are pinned and handed to
/// ORT without a copy; they may be longer than the shape (a reused batch buffer).
/// </summary>
public sealed class OnnxTensor
{
    private OnnxTensor(string name, OnnxElementType type, Array data, long[] shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"Tensor '{name}': negative dimension in [{string.Join(",", shape)}].");
            n *= d;
        }
        if (data.Length < n) throw new ArgumentException($"Tensor '{name}': {data.Length} values for shape [{string.Join(",", shape)}] ({n} elements).");
        Name = name;
        ElementType = type;
        Data = data;
        Shape = shape;
        Length = n;
    }

    /// <summary>A float32 tensor over <paramref name="data"/> (no copy).</summary>
    public static OnnxTensor Float(string name, float[] data, params long[] shape) => new(name, OnnxElementType.Float, data, shape);

    /// <summary>An int64 tensor over <paramref name="data"/> (no copy).</summary>
    public static OnnxTensor Int64(string name, long[] data, params long[] shape) => new(name, OnnxElementType.Int64, data, shape);

    /// <summary>Name of the model input or output.</summary>
    public string Name { get; }

    /// <summary>Element type (float32 or int64).</summary>
    public OnnxElementType ElementType { get; }

    /// <summary>The values: a float[] or a long[].</summary>
    public Array Data { get; }

    /// <summary>The shape.</summary>
    public long[] Shape { get; }

    /// <summary>Number of elements described by the shape.</summary>
    public long Length { get; }

    /// <summary>The values as float32; throws if the tensor holds int64.</summary>
    public float[] AsFloats() => Data as float[] ?? throw new InvalidOperationException($"Tensor '{Name}' holds {OnnxValueInfo.TypeName(ElementType)}, not float32.");

    /// <summary>The values as int64; throws if the tensor holds float32.</summary>
    public long[] AsInt64() => Data as long[] ?? throw new InvalidOperationException($"Tensor '{Name}' holds {OnnxValueInfo.TypeName(ElementType)}, not int64.");

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {OnnxValueInfo.TypeName(ElementType)}[{string.Join(",", Shape)}]";
}

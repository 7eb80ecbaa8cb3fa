namespace DlBook.Engine.Tensors;

/// <summary>
/// A dense float32 tensor in row-major order. The first dimension is the batch for activations.
/// The backing array may be larger than <see cref="Length"/> so a buffer sized for the largest
/// batch can be reused for a smaller last batch without allocating.
/// </summary>
public sealed class Tensor
{
    private float[] _data;
    private int[] _shape;
    private int _length; // ComputeLength(_shape), kept so Span and Length cost no loop on the hot path

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    public Tensor(params int[] shape)
    {
        _shape = (int[])shape.Clone();
        _length = ComputeLength(shape);
        _data = new float[_length];
    }

    /// <summary>Wraps an existing array (no copy). The array must hold at least the shape's element count.</summary>
    public Tensor(float[] data, params int[] shape)
    {
        long n = ComputeLength(shape);
        if (data.Length < n)
            throw new ArgumentException($"Array of {data.Length} floats is too small for shape [{string.Join(", ", shape)}] ({n} elements).", nameof(data));
        _data = data;
        _shape = (int[])shape.Clone();
        _length = (int)n;
    }

    /// <summary>The backing array; it may be longer than <see cref="Length"/>.</summary>
    public float[] Data => _data;

    /// <summary>The shape; do not mutate the returned array.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>A copy of the shape.</summary>
    public int[] ShapeArray => (int[])_shape.Clone();

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements described by the shape.</summary>
    public int Length => _length;

    /// <summary>Size of the first dimension.</summary>
    public int Rows => _shape.Length == 0 ? 1 : _shape[0];

    /// <summary>Elements per row (product of all dimensions but the first).</summary>
    public int RowSize => _shape.Length <= 1 ? 1 : _length / Math.Max(1, _shape[0]);

    /// <summary>The live elements.</summary>
    public Span<float> Span => new(_data, 0, _length);

    /// <summary>Row <paramref name="r"/> of a tensor viewed as [Rows, RowSize].</summary>
    public Span<float> Row(int r) => _data.AsSpan(r * RowSize, RowSize);

    /// <summary>Dimension <paramref name="i"/>.</summary>
    public int Dim(int i) => _shape[i];

    /// <summary>
    /// Changes the shape in place, growing the backing array only when it is too small.
    /// Used to resize activation buffers when the batch size changes.
    /// </summary>
    public void Resize(params int[] shape)
    {
        int n = ComputeLength(shape);
        if (n > _data.Length) _data = new float[n];
        _shape = (int[])shape.Clone();
        _length = n;
    }

    /// <summary>Resizes the first dimension only.</summary>
    public void ResizeRows(int rows)
    {
        if (_shape.Length == 0) throw new InvalidOperationException("A scalar tensor has no rows.");
        if (_shape[0] == rows) return;
        var s = (int[])_shape.Clone();
        s[0] = rows;
        Resize(s);
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>A deep copy with a tight backing array.</summary>
    public Tensor Clone() => new(Span.ToArray(), _shape);

    /// <summary>Copies the elements of <paramref name="source"/>, which must have the same length.</summary>
    public void CopyFrom(Tensor source)
    {
        if (source.Length != Length)
            throw new ArgumentException($"Cannot copy {source.Length} elements into a tensor of {Length}.");
        source.Span.CopyTo(Span);
    }

    /// <summary>Shape as text, e.g. "[10, 784]".</summary>
    public string ShapeString => "[" + string.Join(", ", _shape) + "]";

    /// <inheritdoc />
    public override string ToString() => $"Tensor{ShapeString}";

    /// <summary>Product of the dimensions; throws on negative or overflowing shapes.</summary>
    public static int ComputeLength(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Negative dimension {d} in shape.");
            n *= d;
            if (n > int.MaxValue) throw new ArgumentException("Tensor has more than int.MaxValue elements.");
        }
        return (int)n;
    }
}

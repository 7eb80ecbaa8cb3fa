using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>Shape checks shared by the layers, with messages that name the layer.</summary>
internal static class LayerChecks
{
    /// <summary>Throws unless <paramref name="x"/> is [batch, ..] with <paramref name="rowSize"/> values per sample.</summary>
    public static void Input(LayerSpec spec, Tensor x, int rowSize)
    {
        if (x.Rank < 2 || x.RowSize != rowSize)
            throw new ArgumentException(
                $"Layer '{spec.Name}' ({spec.Kind}) expects input [batch, {string.Join(", ", spec.InputShape)}] " +
                $"({rowSize} values per sample) but got {x.ShapeString}. Check the feature column's size.");
    }

    /// <summary>Throws unless the gradient matches the last forward output.</summary>
    public static void Gradient(LayerSpec spec, Tensor dy, int rows, int rowSize)
    {
        if (dy.Rows != rows || dy.RowSize != rowSize)
            throw new ArgumentException(
                $"Layer '{spec.Name}' ({spec.Kind}) got an output gradient {dy.ShapeString}; the last forward produced [{rows}, {rowSize}]. " +
                "Call Backward right after the Forward it belongs to.");
    }

    /// <summary>Throws when Backward comes before any Forward.</summary>
    public static Tensor Forwarded(LayerSpec spec, Tensor? input) =>
        input ?? throw NotForwarded(spec);

    /// <summary>Throws when Backward comes before any Forward (<paramref name="rows"/> &lt; 0: the batch of no forward yet).</summary>
    public static void Forwarded(LayerSpec spec, int rows)
    {
        if (rows < 0) throw NotForwarded(spec);
    }

    private static InvalidOperationException NotForwarded(LayerSpec spec) =>
        new($"Layer '{spec.Name}' ({spec.Kind}): Backward was called before Forward. Call Forward on the batch first.");

    /// <summary>Product of a per-sample shape.</summary>
    public static int Size(int[] shape) => Tensor.ComputeLength(shape);

    /// <summary>A [1, ..shape] buffer whose rows grow with the batch.</summary>
    public static Tensor Buffer(int[] perSample) => new([1, .. perSample]);

    /// <summary>Resizes a buffer to [rows, ..shape] (no allocation when the row count is unchanged).</summary>
    public static void EnsureRows(Tensor buffer, Tensor like, int rows)
    {
        if (buffer.Rank == like.Rank && buffer.Rows == rows && buffer.Length == like.Length) return;
        if (buffer.Rank == like.Rank && buffer.Length / Math.Max(1, buffer.Rows) == like.RowSize)
        {
            bool same = true;
            for (int i = 1; i < like.Rank; i++) same &= buffer.Dim(i) == like.Dim(i);
            if (same) { buffer.ResizeRows(rows); return; }
        }
        buffer.Resize(like.ShapeArray);
    }
}

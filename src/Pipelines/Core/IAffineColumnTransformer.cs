namespace DlBook.Pipelines.Core;

/// <summary>
/// A per-element affine map of one float column: y[i] = (x[i] − Offset[i]) × Scale[i]. Min-max,
/// mean-variance and fixed pixel scaling all have this form, which is how ONNX export folds them
/// into Sub/Mul nodes so the exported model takes the raw column.
/// </summary>
public interface IAffineColumnTransformer : ITransformer
{
    /// <summary>The column read.</summary>
    string InputColumnName { get; }
    /// <summary>The column written (may equal the input).</summary>
    string OutputColumnName { get; }
    /// <summary>Per-element offsets (length = column size).</summary>
    IReadOnlyList<float> Offset { get; }
    /// <summary>Per-element scales (length = column size).</summary>
    IReadOnlyList<float> Scale { get; }
}

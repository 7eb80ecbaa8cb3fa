namespace DlBook.Export.Runtime;

/// <summary>A model input or output: name, element type and shape (−1 for a symbolic dimension, whose name is in <see cref="SymbolicDimensions"/>).</summary>
/// <param name="Name">Input or output name.</param>
/// <param name="ElementType">Element type.</param>
/// <param name="Dimensions">Dimensions; −1 where symbolic (e.g. the batch).</param>
/// <param name="SymbolicDimensions">Names of the symbolic dimensions ("batch"), empty strings for fixed ones.</param>
public sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, long[] Dimensions, string[] SymbolicDimensions)
{
    /// <summary>The shape as text, e.g. "float32[batch,784]".</summary>
    public string Describe() =>
        $"{TypeName(ElementType)}[{string.Join(",", Dimensions.Select((d, i) => d >= 0 ? d.ToString() : SymbolicDimensions.ElementAtOrDefault(i) is { Length: > 0 } s ? s : "?"))}]";

    /// <summary>Elements per row: the product of the dimensions after the first (the batch).</summary>
    public long RowSize => Dimensions.Skip(1).Aggregate(1L, (a, d) => a * Math.Max(d, 1));

    internal static string TypeName(OnnxElementType t) => t switch
    {
        OnnxElementType.Float => "float32",
        OnnxElementType.Int64 => "int64",
        OnnxElementType.Int32 => "int32",
        OnnxElementType.Double => "float64",
        OnnxElementType.Bool => "bool",
        _ => t.ToString().ToLowerInvariant(),
    };
}

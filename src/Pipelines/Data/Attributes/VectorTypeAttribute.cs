namespace DlBook.Pipelines.Data;

/// <summary>The fixed shape of a <c>float[]</c> member, e.g. [VectorType(784)] or [VectorType(3, 64, 64)] (ML.NET's VectorType).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class VectorTypeAttribute(params int[] dimensions) : Attribute
{
    /// <summary>The per-row shape.</summary>
    public int[] Dimensions { get; } = dimensions;
}

namespace DlBook.Pipelines.Data;

/// <summary>
/// Marks a <c>uint</c> member as a key (class index) column with <see cref="Count"/> classes. Our keys are
/// 0-based (class index 0..Count−1); ML.NET's are 1-based with 0 meaning missing.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class KeyTypeAttribute(int count) : Attribute
{
    /// <summary>Number of classes.</summary>
    public int Count { get; } = count;
}

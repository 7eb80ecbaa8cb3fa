namespace DlBook.Pipelines.Transforms.Keys;

/// <summary>How MapValueToKey numbers the distinct values it finds (ML.NET's ValueToKeyMappingEstimator.KeyOrdinality).</summary>
public enum KeyOrdinality
{
    /// <summary>In order of first appearance in the data (ML.NET's default).</summary>
    ByOccurrence,
    /// <summary>In sorted order: numbers ascending, text by ordinal comparison. Our default, so MNIST digit d ↔ key d.</summary>
    ByValue,
}

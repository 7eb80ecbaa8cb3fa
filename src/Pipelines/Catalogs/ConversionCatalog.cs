using DlBook.Pipelines.Core;
using DlBook.Pipelines.Transforms.Keys;

namespace DlBook.Pipelines.Catalogs;

/// <summary>Key conversions (ML.NET's TransformsCatalog.ConversionTransforms), reached as <c>ctx.Transforms.Conversion</c>.</summary>
public sealed partial class ConversionCatalog
{
    internal ConversionCatalog(DlContext context) => Context = context;

    /// <summary>The owning context.</summary>
    public DlContext Context { get; }

    /// <summary>
    /// Maps the values of a scalar or text column to keys (0-based class indices) with the values as label names.
    /// Our default ordinality is <see cref="KeyOrdinality.ByValue"/> — class index = rank of the sorted value, so MNIST
    /// digit d ↔ key d — where ML.NET's default is ByOccurrence. A value unseen at fit time fails at Transform with a
    /// <see cref="Data.DataFormatException"/> naming it.
    /// </summary>
    public ValueToKeyMappingEstimator MapValueToKey(string outputColumnName, string? inputColumnName = null,
        KeyOrdinality keyOrdinality = KeyOrdinality.ByValue) =>
        new(outputColumnName, inputColumnName, keyOrdinality);

    /// <summary>Maps keys back to their label names: a Single scalar when all names are numbers, text otherwise.</summary>
    public Transforms.TrivialEstimator<KeyToValueMappingTransformer> MapKeyToValue(string outputColumnName, string? inputColumnName = null) =>
        new(new KeyToValueMappingTransformer(outputColumnName, inputColumnName));
}

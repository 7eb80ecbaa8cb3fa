using DlBook.Pipelines.Core;

namespace DlBook.Pipelines.Catalogs;

/// <summary>The BinaryClassification catalog of a <see cref="DlContext"/>.</summary>
public sealed partial class BinaryClassificationCatalog
{
    internal BinaryClassificationCatalog(DlContext context) => Context = context;

    /// <summary>The owning context (for extension methods in other assemblies).</summary>
    public DlContext Context { get; }
}

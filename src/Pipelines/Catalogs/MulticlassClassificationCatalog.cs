using DlBook.Pipelines.Core;

namespace DlBook.Pipelines.Catalogs;

/// <summary>The MulticlassClassification catalog of a <see cref="DlContext"/>.</summary>
public sealed partial class MulticlassClassificationCatalog
{
    internal MulticlassClassificationCatalog(DlContext context) => Context = context;

    /// <summary>The owning context (for extension methods in other assemblies).</summary>
    public DlContext Context { get; }
}

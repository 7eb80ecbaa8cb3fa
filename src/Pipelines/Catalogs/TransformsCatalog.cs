using DlBook.Pipelines.Core;

namespace DlBook.Pipelines.Catalogs;

/// <summary>The Transforms catalog of a <see cref="DlContext"/>.</summary>
public sealed partial class TransformsCatalog
{
    internal TransformsCatalog(DlContext context) => Context = context;

    /// <summary>The owning context (for extension methods in other assemblies).</summary>
    public DlContext Context { get; }
}

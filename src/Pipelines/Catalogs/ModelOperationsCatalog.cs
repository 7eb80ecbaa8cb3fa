using DlBook.Pipelines.Core;

namespace DlBook.Pipelines.Catalogs;

/// <summary>The ModelOperations catalog of a <see cref="DlContext"/>.</summary>
public sealed partial class ModelOperationsCatalog
{
    internal ModelOperationsCatalog(DlContext context) => Context = context;

    /// <summary>The owning context (for extension methods in other assemblies).</summary>
    public DlContext Context { get; }
}

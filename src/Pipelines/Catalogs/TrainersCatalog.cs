using DlBook.Pipelines.Core;

namespace DlBook.Pipelines.Catalogs;

/// <summary>The Trainers catalog of a <see cref="DlContext"/>.</summary>
public sealed partial class TrainersCatalog
{
    internal TrainersCatalog(DlContext context) => Context = context;

    /// <summary>The owning context (for extension methods in other assemblies).</summary>
    public DlContext Context { get; }
}

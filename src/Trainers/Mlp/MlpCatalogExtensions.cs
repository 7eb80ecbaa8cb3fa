using DlBook.Pipelines.Catalogs;

namespace DlBook.Trainers.Mlp;

/// <summary><c>ctx.Trainers.Mlp(options)</c>.</summary>
public static class MlpCatalogExtensions
{
    /// <summary>A multi-layer perceptron trainer; the defaults are the book's network2.py ([784,30,10]-style sigmoid net, cross-entropy, N(0,1/n_in)).</summary>
    public static MlpTrainer Mlp(this TrainersCatalog catalog, MlpOptions? options = null) => new(catalog.Context, options ?? new MlpOptions());
}

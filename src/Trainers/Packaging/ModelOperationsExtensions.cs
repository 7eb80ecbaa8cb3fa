using DlBook.Pipelines.Catalogs;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Trainers.Packaging;

/// <summary><c>ctx.Model.Save</c> / <c>ctx.Model.Load</c> for <c>.dlbook</c> model packages (ML.NET's Model.Save/Load).</summary>
public static class ModelOperationsExtensions
{
    /// <summary>Saves a fitted model (a step or a chain) with the schema of the data it was fitted on; written atomically.</summary>
    public static void Save(this ModelOperationsCatalog catalog, ITransformer model, DataSchema inputSchema, string path)
    {
        ModelPackage.Save(model, inputSchema, path);
        catalog.Context.WriteLog(LogLevel.Info, "Model", $"Saved model to '{path}'.");
    }

    /// <summary>Loads a model package; <paramref name="inputSchema"/> receives the schema it was saved with. Throws <see cref="ModelFormatException"/> for a bad file.</summary>
    public static ITransformer Load(this ModelOperationsCatalog catalog, string path, out DataSchema inputSchema) =>
        ModelPackage.Load(catalog.Context, path, out inputSchema);
}

using DlBook.Pipelines.MlNet;
using Microsoft.ML.Runtime;
using DlBook.Trainers.Networks;

// In ML.NET's namespace, as ML.NET's own extension packages declare theirs: `using Microsoft.ML;` finds it.
namespace Microsoft.ML;

/// <summary>Makes ML.NET's <c>Model.Load</c> find DlBook's components.</summary>
public static class DlBookComponents
{
    /// <summary>
    /// Registers DlBook's components with this context's catalog, so <c>mlContext.Model.Load</c> reads model zips that
    /// hold a DlBook network or image decoder (LoadImagePixels) — call it once per <see cref="MLContext"/> before loading, as ML.NET asks
    /// <c>ComponentCatalog.RegisterAssembly</c> for custom mappings. Saving needs none, and a context that trained a DlBook network is registered already.
    /// (ML.NET 6 has no public way for a third-party component to be found by <c>Model.Load</c>, ML.NET#4911; this uses
    /// ML.NET 6.0.0's non-public catalog members, and fails with a message naming the version if they move.)
    /// </summary>
    public static MLContext RegisterDlBook(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterDlBook();
        return mlContext;
    }

    /// <summary>The same, on a catalog: <c>mlContext.ComponentCatalog.RegisterDlBook()</c>.</summary>
    public static void RegisterDlBook(this ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        MlNetInternals.RegisterLoader(catalog, typeof(NetworkTransformer), NetworkTransformer.LoaderSignature, NetworkTransformer.CreateMethod);
        DlBook.Pipelines.Images.ImagePixelsTransformer.Register(catalog);   // LoadImagePixels, at the head of image chains
    }
}

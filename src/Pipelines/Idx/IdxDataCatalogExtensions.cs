using DlBook.Pipelines.Bridge;
using DlBook.Pipelines.Idx;

// In ML.NET's namespace, as ML.NET's own extension packages declare theirs: `using Microsoft.ML;` finds it.
namespace Microsoft.ML;

/// <summary><c>mlContext.Data.LoadFromIdx(images, labels)</c>: MNIST's IDX files (gzipped or not) as an ML.NET data view.</summary>
public static class IdxDataCatalogExtensions
{
    /// <summary>
    /// Loads IDX images, and optionally their labels, lazily. <paramref name="featureColumnName"/> is a
    /// <c>Vector&lt;Single&gt;</c> of rows × cols pixels × <paramref name="scale"/> (the default 1/255 gives 0..1; 1 gives the
    /// raw 0..255); <paramref name="labelColumnName"/> is a <c>Single</c> (the digit): map it with
    /// <c>Transforms.Conversion.MapValueToKey</c> for a multiclass trainer.
    /// </summary>
    /// <exception cref="DlBook.Pipelines.Data.DataFormatException">A file is not IDX, is truncated, or the counts differ; the message names the file and the byte offset.</exception>
    public static IDataView LoadFromIdx(this DataOperationsCatalog catalog, string imagesPath, string? labelsPath = null,
        float scale = ByteScaling.PixelScale, string featureColumnName = "Features", string labelColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        return new IdxDataView(imagesPath, labelsPath, scale, featureColumnName, labelColumnName);
    }
}

using DlBook.Pipelines.Data;
using DlBook.Pipelines.Loaders.Idx;

namespace DlBook.Pipelines.Catalogs;

public sealed partial class DataCatalog
{
    /// <summary>
    /// Loads IDX ubyte files (MNIST, Fashion-MNIST), gzipped or not (detected by the gzip magic bytes).
    /// <paramref name="featureColumnName"/> is a Vector&lt;Single&gt;[rows × cols] of pixel × <paramref name="scale"/>
    /// (the default 1/255 gives 0..1; scale 1 gives the raw 0..255); <paramref name="labelColumnName"/> is a scalar
    /// holding the digit (class) value as a float — use <c>Conversion.MapValueToKey</c> to make it a key.
    /// The headers are checked now; pixels are read on first enumeration and cached.
    /// </summary>
    /// <exception cref="DataFormatException">Wrong magic, bad dimensions, truncated file, image/label count mismatch (the message names the file and byte offset).</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public IDataView LoadIdx(string imagesPath, string? labelsPath = null, float scale = 1f / 255,
        string featureColumnName = "Features", string labelColumnName = "Label")
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        if (featureColumnName == labelColumnName && labelsPath is not null)
            throw new ArgumentException($"Feature and label columns must differ; both are '{featureColumnName}'.");
        return new IdxDataView(imagesPath, labelsPath, scale, featureColumnName, labelColumnName);
    }
}

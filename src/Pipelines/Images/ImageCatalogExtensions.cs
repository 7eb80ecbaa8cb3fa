using DlBook.Pipelines.Images;
using DlBook.Pipelines.MlNet;
using Microsoft.ML.Transforms.Image;

// In ML.NET's namespace, as ML.NET's own extension packages declare theirs: `using Microsoft.ML;` finds it.
namespace Microsoft.ML;

/// <summary>
/// <c>mlContext.Data.LoadFromImageFolder(roots)</c> lists the images of <c>&lt;root&gt;/&lt;class&gt;/*.jpg</c> folders;
/// <c>mlContext.Transforms.LoadImagePixels(...)</c> decodes, resizes and extracts their pixels in one streaming step,
/// interchangeable with ML.NET's <c>LoadImages → ResizeImages → ExtractPixels</c>.
/// </summary>
public static class ImageCatalogExtensions
{
    /// <summary>
    /// The images of one or more roots laid out as <c>&lt;root&gt;/&lt;class&gt;/&lt;file&gt;.{jpg,jpeg,png}</c>, as a view of two text
    /// columns: <c>ImagePath</c> (the full path) and <c>Label</c> (the class folder's name). Several roots may share class
    /// names (train + extra). Order: by class name, then root as given, then file name (ordinal), the same every time;
    /// a cursor asked for a random order shuffles. Files are listed, not opened.
    /// </summary>
    /// <exception cref="DlBook.Pipelines.Images.ImageFolderException">A root does not exist, has no class folders, or none holds an image; the message names the folder.</exception>
    public static IDataView LoadFromImageFolder(this DataOperationsCatalog catalog, params string[] roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        return catalog.LoadFromImageFolder(new ImageFolderOptions { Roots = roots });
    }

    /// <summary>The same, with the file endings and column names of <paramref name="options"/>.</summary>
    /// <exception cref="DlBook.Pipelines.Images.ImageFolderException">A root does not exist, has no class folders, or none holds an image; the message names the folder.</exception>
    public static IDataView LoadFromImageFolder(this DataOperationsCatalog catalog, ImageFolderOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ImageFolderDataView(options);
    }

    /// <summary>
    /// Decodes the image each row's <paramref name="imagePathColumnName"/> names (JPEG or PNG; grey-scale and CMYK become
    /// RGB), fits it to <paramref name="width"/> × <paramref name="height"/> as <c>ResizeImages</c> (<paramref name="resizing"/>,
    /// default IsoCrop) and adds <paramref name="outputColumnName"/>, a <c>Vector&lt;Single, 3, H, W&gt;</c> of planar R, G, B
    /// values (byte − <paramref name="offsetImage"/>) × <paramref name="scaleImage"/>, as <c>ExtractPixels</c> with its
    /// defaults. JPEGs are decoded at a reduced DCT scale (see <see cref="ImagePixelsOptions.ScaledDecode"/>), on all
    /// cores, a few rows ahead. Rows whose image cannot be read (missing, empty, truncated, corrupt, not an image) are
    /// left out and counted in the transformer's <see cref="ImagePixelsTransformer.Report"/> and in <c>MLContext.Log</c>.
    /// </summary>
    public static ImagePixelsEstimator LoadImagePixels(this TransformsCatalog catalog, string outputColumnName = "Features",
        string imagePathColumnName = "ImagePath", int width = 64, int height = 64,
        ImageResizingEstimator.ResizingKind resizing = ImageResizingEstimator.ResizingKind.IsoCrop,
        float offsetImage = 0f, float scaleImage = 1f) =>
        catalog.LoadImagePixels(new ImagePixelsOptions
        {
            OutputColumnName = outputColumnName, ImagePathColumnName = imagePathColumnName, Width = width, Height = height,
            Resizing = resizing, OffsetImage = offsetImage, ScaleImage = scaleImage,
        });

    /// <summary>The same with every option: crop anchor, channel order, interleaving, exact (full) decoding, threads, prefetch and the bad-image policy.</summary>
    public static ImagePixelsEstimator LoadImagePixels(this TransformsCatalog catalog, ImagePixelsOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ImagePixelsEstimator(MlNetInternals.EnvironmentOf(catalog), options);
    }

    /// <summary>
    /// Registers <see cref="ImagePixelsTransformer"/> with this context's catalog, so <c>mlContext.Model.Load</c> reads a
    /// model zip holding one; a context that used <c>LoadImagePixels</c> is registered already.
    /// </summary>
    public static MLContext RegisterDlBookImages(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ImagePixelsTransformer.Register(mlContext.ComponentCatalog);
        return mlContext;
    }
}

namespace DlBook.Pipelines.Images;

/// <summary>
/// Options of <c>mlContext.Data.LoadFromImageFolder</c>: the roots laid out as <c>&lt;root&gt;/&lt;class&gt;/&lt;file&gt;</c>,
/// which files are images, and the names of the two text columns made.
/// </summary>
public sealed class ImageFolderOptions
{
    /// <summary>The root folders; each holds one folder per class. Several roots may share class names (train + extra).</summary>
    public IReadOnlyList<string> Roots { get; set; } = [];

    /// <summary>File name endings taken as images, compared without case. Default: .jpg, .jpeg, .png.</summary>
    public IReadOnlyList<string> Extensions { get; set; } = [".jpg", ".jpeg", ".png"];

    /// <summary>The text column holding each image's full path. Default <c>ImagePath</c>.</summary>
    public string ImagePathColumnName { get; set; } = "ImagePath";

    /// <summary>The text column holding the class, the name of the image's folder. Default <c>Label</c>.</summary>
    public string LabelColumnName { get; set; } = "Label";
}

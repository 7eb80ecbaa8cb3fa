namespace DlBook.Pipelines.Images;

/// <summary>
/// An image folder given to <c>LoadFromImageFolder</c> is missing, empty, or has no class folders holding images. The
/// message names the folder and the layout expected (<c>&lt;root&gt;/&lt;class&gt;/*.jpg</c>).
/// </summary>
public sealed class ImageFolderException : Exception
{
    /// <summary>Creates the exception for a folder; the message starts with the folder.</summary>
    public ImageFolderException(string folder, string problem, string remedy)
        : base($"{folder}: {problem} {remedy}") => Folder = folder;

    /// <summary>The folder at fault.</summary>
    public string Folder { get; }
}

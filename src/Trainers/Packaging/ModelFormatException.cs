namespace DlBook.Trainers.Packaging;

/// <summary>
/// A model package cannot be read: not a zip, no manifest, another format version, a foreign zip,
/// a missing or mis-sized tensor, a corrupt safetensors header. The message names the file, what is
/// wrong and what to do.
/// </summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The package file.</param>
    /// <param name="problem">What is wrong, e.g. "it is not a zip archive".</param>
    /// <param name="remedy">What the user can do about it.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ModelFormatException(string path, string problem, string remedy, Exception? inner = null)
        : base($"Model file '{path}': {problem}. {remedy}", inner)
    {
        Path = path;
        Problem = problem;
        Remedy = remedy;
    }

    /// <summary>The package file.</summary>
    public string Path { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }

    /// <summary>What the user can do about it.</summary>
    public string Remedy { get; }
}

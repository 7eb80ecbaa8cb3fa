namespace DlBook.Pipelines.Data;

/// <summary>
/// Input data is malformed: a corrupt or truncated file, a bad row, a value a fitted transform never
/// saw. The message names the file (or column), the position and what to do.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception with a complete message.</summary>
    public DataFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a complete message and the low-level cause.</summary>
    public DataFormatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception for a position in a file; the message starts with the file and position.</summary>
    public DataFormatException(string filePath, string position, string problem, string remedy, Exception? inner = null)
        : base($"{filePath}: {position}: {problem} {remedy}", inner)
    {
        FilePath = filePath;
        Position = position;
    }

    /// <summary>The file at fault, when the data came from a file.</summary>
    public string? FilePath { get; }

    /// <summary>Where in the file (byte offset and field, or line and column), when known.</summary>
    public string? Position { get; }
}

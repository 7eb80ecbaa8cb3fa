using Microsoft.ML;

namespace DlBook.Cli.Commands;

/// <summary>A loaded data view, the flags it came from (for messages), and whether it has a Label column.</summary>
public sealed record LoadedData(IDataView View, string Source, bool HasLabels)
{
    /// <summary>The CSV/TSV file read by ML.NET's TextLoader, or null for IDX data.</summary>
    public string? TextFile { get; init; }
    /// <summary>Whether <see cref="TextFile"/> starts with a header row.</summary>
    public bool TextHasHeader { get; init; }
}

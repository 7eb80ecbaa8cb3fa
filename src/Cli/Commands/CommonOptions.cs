using System.CommandLine;

namespace DlBook.Cli.Commands;

/// <summary>Options every command shares.</summary>
public static class CommonOptions
{
    /// <summary>--quiet: results and errors only.</summary>
    public static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "Print only results and errors (no progress).", Recursive = true };

    /// <summary>--json: one JSON document on stdout, for scripts.</summary>
    public static readonly Option<bool> Json = new("--json") { Description = "Write one JSON document to stdout (for scripts).", Recursive = true };

    /// <summary>--data-dir: where the data sets are.</summary>
    public static readonly Option<string?> DataDir = new("--data-dir") { Description = "Folder holding the data sets (default: DLBOOK_DATA, ./data, or ../shared/data above the current folder).", Recursive = true };
}

namespace DlBook.Pipelines.DataSets;

/// <summary>A data set the book's experiments use, where it is usually found and how to check it.</summary>
public sealed record KnownDataSet
{
    /// <summary>Short name used on the command line ("mnist").</summary>
    public required string Name { get; init; }
    /// <summary>One line saying what it is.</summary>
    public required string Description { get; init; }
    /// <summary>Folder name under a data root (e.g. "mnist" in ../shared/data/mnist).</summary>
    public required string FolderName { get; init; }
    /// <summary>Files that must be present, with pinned hashes where the content is canonical.</summary>
    public required IReadOnlyList<DataSetFile> Files { get; init; }
    /// <summary>Other folders where a system package installs it (e.g. Debian's dataset-fashion-mnist).</summary>
    public IReadOnlyList<string> SystemFolders { get; init; } = [];
    /// <summary>Base URL the files can be fetched from (file names appended), or null when it cannot be fetched.</summary>
    public string? DefaultBaseUrl { get; init; }
}

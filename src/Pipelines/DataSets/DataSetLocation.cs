namespace DlBook.Pipelines.DataSets;

/// <summary>Where a data set was found, or where it was looked for.</summary>
/// <param name="DataSet">The data set.</param>
/// <param name="Folder">The folder holding its files, or null when not found.</param>
/// <param name="Searched">Folders searched, in order.</param>
public sealed record DataSetLocation(KnownDataSet DataSet, string? Folder, IReadOnlyList<string> Searched)
{
    /// <summary>True when every required file is present in <see cref="Folder"/>.</summary>
    public bool Found => Folder is not null;

    /// <summary>Full path of one file of the data set; throws <see cref="DataSetException"/> when not found.</summary>
    public string PathOf(string fileName) => Folder is null
        ? throw new DataSetException($"Data set '{DataSet.Name}' not found. Searched: {string.Join(", ", Searched)}. " +
            $"Pass --data-dir, set DLBOOK_DATA, or run 'dlbook data fetch {DataSet.Name}'.")
        : Path.Combine(Folder, fileName);
}

namespace DlBook.Pipelines.DataSets;

/// <summary>
/// Finds data sets. An explicit folder is the only place searched when given. Otherwise, in order: the DLBOOK_DATA environment variable,
/// ./data, then ../shared/data beside every folder above the current directory and above the
/// application, then the data set's system folders (e.g. Debian's /usr/share/datasets/…).
/// </summary>
public static class DataSetLocator
{
    /// <summary>The data roots searched, in order (existing or not).</summary>
    public static IReadOnlyList<string> Roots(string? explicitRoot = null)
    {
        var roots = new List<string>();
        if (!string.IsNullOrEmpty(explicitRoot)) roots.Add(Path.GetFullPath(explicitRoot));
        var env = Environment.GetEnvironmentVariable("DLBOOK_DATA");
        if (!string.IsNullOrEmpty(env)) roots.Add(Path.GetFullPath(env));
        roots.Add(Path.GetFullPath("data"));
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                roots.Add(Path.Combine(d.FullName, "shared", "data"));
        return roots.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Locates <paramref name="dataSet"/>: the first folder that holds all its files.</summary>
    public static DataSetLocation Locate(KnownDataSet dataSet, string? explicitRoot = null)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(explicitRoot))
        {
            // An explicit folder is the only place looked at: the data set folder itself or a root holding it.
            var root = Path.GetFullPath(explicitRoot);
            candidates.Add(root);
            candidates.Add(Path.Combine(root, dataSet.FolderName));
        }
        else
        {
            candidates.AddRange(Roots().Select(r => Path.Combine(r, dataSet.FolderName)));
            candidates.AddRange(dataSet.SystemFolders);
        }
        foreach (var folder in candidates.Distinct(StringComparer.Ordinal))
            if (dataSet.Files.All(f => File.Exists(Path.Combine(folder, f.FileName))))
                return new DataSetLocation(dataSet, folder, candidates);
        return new DataSetLocation(dataSet, null, candidates);
    }
}

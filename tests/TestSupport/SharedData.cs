namespace DlBook.TestSupport;

/// <summary>
/// Locates ../shared/data (beside the repository). Tests that need it fail with a clear message
/// when it is missing; they never skip.
/// </summary>
public static class SharedData
{
    /// <summary>The shared data folder, found by walking up from the test binary to the folder holding the solution, then ../shared/data. DLBOOK_DATA overrides.</summary>
    public static string Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("DLBOOK_DATA");
            if (!string.IsNullOrEmpty(env))
                return Directory.Exists(env) ? env : throw new DirectoryNotFoundException($"DLBOOK_DATA points to '{env}', which does not exist.");
            var repo = RepoRoot;
            var data = Path.GetFullPath(Path.Combine(repo, "..", "shared", "data"));
            if (!Directory.Exists(data))
                throw new DirectoryNotFoundException(
                    $"The shared data folder was not found at '{data}'. Check out 'shared' beside the repository (see README, 'Data') or set DLBOOK_DATA.");
            return data;
        }
    }

    /// <summary>The repository root (the folder holding DlBook.MLNet.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "DlBook.MLNet.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new DirectoryNotFoundException($"No DlBook.MLNet.sln above '{AppContext.BaseDirectory}'.");
        }
    }

    /// <summary>A file under the shared data folder; throws naming it when missing.</summary>
    public static string File(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        return System.IO.File.Exists(path) ? path
            : throw new FileNotFoundException($"Shared data file '{path}' is missing. See ../shared/data/README.md.", path);
    }

    /// <summary>MNIST file path, e.g. Mnist("train-images-idx3-ubyte.gz").</summary>
    public static string Mnist(string name) => File("mnist", name);
}

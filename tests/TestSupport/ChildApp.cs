using System.Diagnostics;

namespace DlBook.TestSupport;

/// <summary>A C# program compiled against the library and run as its own process, as a user's app would be.</summary>
public static class ChildApp
{
    /// <summary>Compiles <paramref name="programCs"/> (top-level statements) referencing src/Export (the DlBook.MLNet package's project) into <paramref name="folder"/>.</summary>
    public static string Build(string programCs, string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), programCs);
        var export = Path.Combine(SharedData.RepoRoot, "src", "Export", "DlBook.Export.csproj");
        File.WriteAllText(Path.Combine(folder, "ChildApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
              <ItemGroup><ProjectReference Include="{export}" /></ItemGroup>
            </Project>
            """);
        var output = Path.Combine(folder, "out");
        var (code, text) = Run("dotnet", ["build", folder, "-c", "Release", "-nologo", "-v", "q", "-o", output], folder);
        if (code != 0) throw new InvalidOperationException($"The child app did not build:\n{text}");
        return Path.Combine(output, "ChildApp.dll");
    }

    /// <summary>Runs a built child app from <paramref name="workingDirectory"/>; returns its exit code and stdout + stderr.</summary>
    public static (int ExitCode, string Output) Exec(string dll, string workingDirectory, params string[] args) =>
        Run("dotnet", [dll, .. args], workingDirectory);

    private static (int, string) Run(string file, string[] args, string cwd)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }
}

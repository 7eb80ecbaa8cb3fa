using System.CommandLine;
using DlBook.Cli.Commands;
using DlBook.Cli.Output;

namespace DlBook.Cli;

/// <summary>Entry point of the dlbook command.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line against the given writers (tests call this in-process).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        CliConsole? console = null;
        ParseResult? parsed = null;
        CliConsole GetConsole() => console ??= new CliConsole(stdout, stderr,
            parsed?.GetValue(CommonOptions.Quiet) ?? false, parsed?.GetValue(CommonOptions.Json) ?? false);

        var root = new RootCommand("dlbook — train, diagnose and ship the networks of the Deep Learning Book in .NET.");
        root.Options.Add(CommonOptions.Quiet);
        root.Options.Add(CommonOptions.Json);
        root.Options.Add(CommonOptions.DataDir);
        foreach (var command in Commands(GetConsole)) root.Subcommands.Add(command);

        parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) stderr.WriteLine($"dlbook: {e.Message}");
            stderr.WriteLine("Run 'dlbook --help' for usage.");
            return CliErrors.BadInput;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            stderr.WriteLine($"dlbook: {CliErrors.Describe(e)}");
            return CliErrors.ExitCodeFor(e);
        }
    }

    private static IEnumerable<Command> Commands(Func<CliConsole> console)
    {
        yield return TrainCommand.Create(console);
        yield return EvaluateCommand.Create(console);
        yield return PredictCommand.Create(console);
        yield return DiagnoseCommand.Create(console);
        yield return ExportCommand.Create(console);
        yield return ScoreCommand.Create(console);
        yield return LanguageModelCommands.CreateGenerate(console);
        yield return PackageCommand.Create(console);
        yield return DataCommand.Create(console);
    }
}

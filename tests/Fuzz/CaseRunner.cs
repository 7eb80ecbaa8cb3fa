using CliProgram = DlBook.Cli.Program;
using DlBook.Cli.Output;

namespace DlBook.Fuzz;

/// <summary>How one run of one target on one case ended.</summary>
public enum Outcome
{
    /// <summary>Exit 0 / no exception, and the output is sane: the mutation was harmless.</summary>
    Accepted,
    /// <summary>Exit 2 / a typed bad-input exception, naming the file: the outcome the program promises for bad files.</summary>
    Rejected,
    /// <summary>Exit 2 / a bad-input exception whose message does not name the file.</summary>
    Unnamed,
    /// <summary>Exit 3 / an environment exception: a bad file blamed on the machine.</summary>
    Environment,
    /// <summary>Exit 1 or any other code; or an exception the library does not type as bad input.</summary>
    Internal,
    /// <summary>An exception escaped Program.Run.</summary>
    Unhandled,
    /// <summary>Exit 0, but the output is not sane (NaN predictions, an invalid file accepted).</summary>
    Insane,
    /// <summary>Still running after the per-case timeout.</summary>
    Hang,
}

/// <summary>One run's result: the outcome, the exit code (CLI) and the message it ended with.</summary>
public sealed record RunResult(Outcome Outcome, int? ExitCode, string Message, double Seconds)
{
    public bool Failed => Outcome is not (Outcome.Accepted or Outcome.Rejected);
}

/// <summary>Runs a target on a case on its own task, with a timeout, and classifies how it ended.</summary>
public static class CaseRunner
{
    public static RunResult Run(Target target, CaseInput input, TimeSpan timeout)
    {
        if (Directory.Exists(input.OutDir)) Directory.Delete(input.OutDir, recursive: true);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var task = Task.Run(() => target.Cli is not null ? RunCli(target, input) : RunLibrary(target, input));
        if (!task.Wait(timeout))
            return new RunResult(Outcome.Hang, null, $"still running after {timeout.TotalSeconds:F0} s", clock.Elapsed.TotalSeconds);
        return task.Result with { Seconds = clock.Elapsed.TotalSeconds };
    }

    /// <summary>True when the target applies to the case (a CLI target may not, e.g. evaluate on a CNN model).</summary>
    public static bool Applies(Target target, CaseInput input) => target.Cli is null || target.Cli(input) is not null;

    private static RunResult RunCli(Target target, CaseInput input)
    {
        var args = target.Cli!(input)!;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code;
        try { code = CliProgram.Run(args, stdout, stderr); }
        catch (Exception e) { return new RunResult(Outcome.Unhandled, null, $"{e.GetType().FullName}: {e.Message}", 0); }
        var message = stderr.ToString().Trim();
        var outcome = code switch
        {
            CliErrors.Ok => target.Check?.Invoke(input) is { } insane ? Outcome.Insane : Outcome.Accepted,
            CliErrors.BadInput => Names(message, input.Mutated) ? Outcome.Rejected : Outcome.Unnamed,
            CliErrors.Environment => Outcome.Environment,
            _ => Outcome.Internal,
        };
        if (outcome == Outcome.Insane) message = target.Check!(input)!;
        return new RunResult(outcome, code, Shorten(message), 0);
    }

    private static RunResult RunLibrary(Target target, CaseInput input)
    {
        try
        {
            target.Library!(input);
            return new RunResult(Outcome.Accepted, null, "", 0);
        }
        catch (Exception e)
        {
            var message = CliErrors.Describe(e);
            var outcome = CliErrors.ExitCodeFor(e) switch
            {
                CliErrors.BadInput => Names(message, input.Mutated) ? Outcome.Rejected : Outcome.Unnamed,
                CliErrors.Environment => Outcome.Environment,
                _ => Outcome.Internal,
            };
            return new RunResult(outcome, null, Shorten($"{Unwrap(e).GetType().Name}: {message}"), 0);
        }
    }

    private static bool Names(string message, string file) => message.Contains(Path.GetFileName(file), StringComparison.Ordinal);

    private static Exception Unwrap(Exception e) => e is System.Reflection.TargetInvocationException { InnerException: { } i } ? i : e;

    private static string Shorten(string s)
    {
        s = s.ReplaceLineEndings(" | ");
        return s.Length <= 600 ? s : s[..600] + "…";
    }
}

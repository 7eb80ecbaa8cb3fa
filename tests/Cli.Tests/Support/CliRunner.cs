namespace DlBook.Cli.Tests.Support;

/// <summary>Runs dlbook in-process and captures its output.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Program.Run(args, o, e);
        return new Result(code, o.ToString(), e.ToString());
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace DlBook.Cli.Output;

/// <summary>
/// Where a command writes: human output (tables, progress) through Spectre.Console, or one JSON
/// document on stdout with --json; --quiet leaves only results and errors. Errors always go to stderr.
/// </summary>
public sealed class CliConsole
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Creates a console over the given writers.</summary>
    public CliConsole(TextWriter stdout, TextWriter stderr, bool quiet, bool json)
    {
        Out = stdout;
        Error = stderr;
        Quiet = quiet;
        Json = json;
        bool interactive = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive) Ansi.Profile.Width = 160;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }
    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }
    /// <summary>--quiet: no progress, no decoration.</summary>
    public bool Quiet { get; }
    /// <summary>--json: one JSON document on stdout.</summary>
    public bool Json { get; }
    /// <summary>Spectre console over stdout for tables and progress (human mode).</summary>
    public IAnsiConsole Ansi { get; }
    /// <summary>True when live progress may be drawn (human mode, interactive terminal, not quiet).</summary>
    public bool ShowsLiveProgress => !Quiet && !Json && Ansi.Profile.Capabilities.Interactive;
    /// <summary>True when plain progress lines may be written (human mode, not quiet).</summary>
    public bool ShowsProgress => !Quiet && !Json;

    /// <summary>Writes a line in human mode (suppressed by --quiet and --json).</summary>
    public void Info(string text)
    {
        if (!Quiet && !Json) Out.WriteLine(text);
    }

    /// <summary>Writes a result line in human mode (kept by --quiet, suppressed by --json).</summary>
    public void Result(string text)
    {
        if (!Json) Out.WriteLine(text);
    }

    /// <summary>Writes a warning to stderr (all modes).</summary>
    public void Warn(string text) => Error.WriteLine($"warning: {text}");

    /// <summary>Renders a Spectre widget in human mode.</summary>
    public void Render(Spectre.Console.Rendering.IRenderable widget)
    {
        if (!Json) Ansi.Write(widget);
    }

    /// <summary>Writes the JSON document (in --json mode only).</summary>
    public void WriteJson(JsonNode node)
    {
        if (Json) Out.WriteLine(node.ToJsonString(JsonOptions));
    }
}

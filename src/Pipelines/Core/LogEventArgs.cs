namespace DlBook.Pipelines.Core;

/// <summary>One log message.</summary>
public sealed class LogEventArgs(LogLevel level, string source, string message) : EventArgs
{
    /// <summary>Severity.</summary>
    public LogLevel Level { get; } = level;
    /// <summary>Component that wrote it, e.g. "Mlp".</summary>
    public string Source { get; } = source;
    /// <summary>The text.</summary>
    public string Message { get; } = message;
    /// <inheritdoc />
    public override string ToString() => $"[{Level}] {Source}: {Message}";
}

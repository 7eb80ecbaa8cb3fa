namespace DlBook.Pipelines.Core;

/// <summary>Log severity.</summary>
public enum LogLevel
{
    /// <summary>Detail.</summary>
    Trace,
    /// <summary>Progress and results.</summary>
    Info,
    /// <summary>Something the user should look at (vanishing gradients, CPU fallback).</summary>
    Warning,
    /// <summary>A failure.</summary>
    Error,
}

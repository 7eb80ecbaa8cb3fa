namespace DlBook.Trainers.Training;

/// <summary>How important a training message is; sent to <c>MLContext.Log</c> as ML.NET's channel message kinds.</summary>
public enum LogLevel
{
    /// <summary>Per-step detail (progress lines, checkpoints).</summary>
    Trace,
    /// <summary>What the run does (the network, each epoch's summary).</summary>
    Info,
    /// <summary>Something the user should look at (vanishing gradients, skipped rows).</summary>
    Warning,
    /// <summary>A failure.</summary>
    Error,
}

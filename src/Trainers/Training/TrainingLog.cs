using Microsoft.ML.Runtime;

namespace DlBook.Trainers.Training;

/// <summary>Where a trainer's messages go: an ML.NET channel (so they reach <c>MLContext.Log</c>), or nowhere.</summary>
public sealed class TrainingLog(IChannel? channel)
{
    /// <summary>A log that drops every message.</summary>
    public static TrainingLog None { get; } = new(null);

    /// <summary>Sends <paramref name="message"/> at <paramref name="level"/>.</summary>
    public void Write(LogLevel level, string message)
    {
        if (channel is null) return;
        Pipelines.MlNet.MlNetInternals.Send(channel, level switch
        {
            LogLevel.Trace => ChannelMessageKind.Trace,
            LogLevel.Info => ChannelMessageKind.Info,
            LogLevel.Warning => ChannelMessageKind.Warning,
            _ => ChannelMessageKind.Error,
        }, message);
    }
}

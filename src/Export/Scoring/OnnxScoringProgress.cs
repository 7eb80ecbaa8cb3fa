namespace DlBook.Export.Scoring;

/// <summary>Progress of a batch scoring run.</summary>
/// <param name="Rows">Rows scored so far.</param>
/// <param name="TotalRows">Rows in the input when known.</param>
/// <param name="Elapsed">Time since scoring started.</param>
public sealed record OnnxScoringProgress(long Rows, long? TotalRows, TimeSpan Elapsed)
{
    /// <summary>Input rows left out so far because their image could not be read (<see cref="OnnxImageScorer"/>; 0 otherwise).</summary>
    public long SkippedRows { get; init; }

    /// <summary>Rows per second so far.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

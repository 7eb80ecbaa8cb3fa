namespace DlBook.Export.Scoring;

/// <summary>The result of <see cref="OnnxBatchScorer.ScoreToCsv"/>.</summary>
/// <param name="OutputPath">The predictions file written.</param>
/// <param name="Rows">Rows scored.</param>
/// <param name="Elapsed">Wall time of scoring and writing.</param>
/// <param name="ExecutionProvider">"CPU" or "CUDA:&lt;device&gt;".</param>
public sealed record OnnxScoringSummary(string OutputPath, long Rows, TimeSpan Elapsed, string ExecutionProvider)
{
    /// <summary>Rows per second.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;
}

using DlBook.Pipelines.Images;

namespace DlBook.Export.Scoring;

/// <summary>The result of <see cref="OnnxImageScorer.ScoreToCsv(Microsoft.ML.IDataView, string, IProgress{OnnxScoringProgress}?, CancellationToken)"/>.</summary>
/// <param name="OutputPath">The predictions file written.</param>
/// <param name="Rows">Images scored (rows written).</param>
/// <param name="BadImageCount">Images left out because they could not be read (missing, empty, truncated, not an image).</param>
/// <param name="FirstBadImages">The first of them (at most <see cref="OnnxImageScorerOptions.BadImagesKept"/>), with what is wrong with each.</param>
/// <param name="Elapsed">Wall time of decoding, scoring and writing.</param>
/// <param name="ExecutionProvider">"CPU" or "CUDA:&lt;device&gt;".</param>
public sealed record OnnxImageScoringSummary(string OutputPath, long Rows, int BadImageCount, IReadOnlyList<BadImage> FirstBadImages, TimeSpan Elapsed, string ExecutionProvider)
{
    /// <summary>Images scored per second.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Rows / Elapsed.TotalSeconds : 0;

    /// <summary>"N bad files skipped: first a.jpg (what is wrong); …", or null when every image was read.</summary>
    public string? BadImagesMessage => BadImageCount == 0 ? null
        : $"{BadImageCount:N0} bad file{(BadImageCount == 1 ? "" : "s")} skipped: first " + string.Join("; ", FirstBadImages.Select(b => $"{b.Path} ({b.Problem.TrimEnd('.')})"));
}

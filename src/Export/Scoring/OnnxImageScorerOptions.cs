using DlBook.Pipelines.Images;

namespace DlBook.Export.Scoring;

/// <summary>Settings of <see cref="OnnxImageScorer"/>: ONNX Runtime's, and what to do with an image that cannot be read.</summary>
public sealed record OnnxImageScorerOptions
{
    /// <summary>Batch size, device, CPU fallback, threads and warnings of the ONNX Runtime scoring.</summary>
    public OnnxBatchScorerOptions Scoring { get; init; } = new();

    /// <summary>Skip (the default: leave the file out, count it, keep the first names) or stop at the first image that cannot be read, naming it.</summary>
    public BadImagePolicy BadImages { get; init; } = BadImagePolicy.Skip;

    /// <summary>How many bad files the summary names; default 10.</summary>
    public int BadImagesKept { get; init; } = 10;

    /// <summary>Images decoded at once; 0 (the default) uses every core.</summary>
    public int DecodeThreads { get; init; }

    /// <summary>The text column of image paths in the data scored; null uses the model's (its <c>image_decoder</c> metadata's imagePathColumn).</summary>
    public string? ImagePathColumnName { get; init; }
}

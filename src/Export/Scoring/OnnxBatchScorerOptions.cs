using DlBook.Pipelines.Core;

namespace DlBook.Export.Scoring;

/// <summary>Settings of <see cref="OnnxBatchScorer"/>.</summary>
public sealed record OnnxBatchScorerOptions
{
    /// <summary>Rows per ORT Run (default 256).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Column fed to the model; null uses the model's only input (named as the feature column).</summary>
    public string? InputColumnName { get; init; }

    /// <summary>CUDA device; null runs on CPU.</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>Run on CPU with a warning when CUDA cannot be used.</summary>
    public bool FallbackToCpu { get; init; }

    /// <summary>Threads inside an operator (0: ORT's choice).</summary>
    public int IntraOpNumThreads { get; init; }

    /// <summary>The libonnxruntime to use; null follows the documented search order.</summary>
    public string? LibraryPath { get; init; }

    /// <summary>Receives warnings (CPU fallback).</summary>
    public Action<LogLevel, string>? Log { get; init; }
}

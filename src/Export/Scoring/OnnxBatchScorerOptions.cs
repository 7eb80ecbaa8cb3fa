namespace DlBook.Export.Scoring;

/// <summary>Settings of <see cref="OnnxBatchScorer"/>.</summary>
public sealed record OnnxBatchScorerOptions
{
    /// <summary>Rows per ONNX Runtime Run (default 256).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Column of the data fed to the model; null uses the model's only input (named as the feature column).</summary>
    public string? InputColumnName { get; init; }

    /// <summary>CUDA device; null runs on CPU.</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>Run on CPU with a warning when CUDA cannot be used.</summary>
    public bool FallbackToCpu { get; init; }

    /// <summary>Threads inside an operator (0: ONNX Runtime's choice).</summary>
    public int IntraOpNumThreads { get; init; }

    /// <summary>Receives warnings (the CPU fallback).</summary>
    public Action<string>? Log { get; init; }
}

namespace DlBook.Export.Scoring;

/// <summary>Settings of <c>ApplyOnnxModel</c> (ML.NET's OnnxOptions).</summary>
public sealed record OnnxScoringOptions
{
    /// <summary>The .onnx file.</summary>
    public required string ModelFile { get; init; }

    /// <summary>Model outputs to add as columns (same names); null adds every output.</summary>
    public IReadOnlyList<string>? OutputColumns { get; init; }

    /// <summary>Columns fed to the model inputs of the same names; null uses every model input.</summary>
    public IReadOnlyList<string>? InputColumns { get; init; }

    /// <summary>CUDA device; null uses the context's <c>GpuDeviceId</c> (CPU when that is null too).</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>Run on CPU (with a warning) when CUDA cannot be used; also true when the context's <c>FallbackToCpu</c> is.</summary>
    public bool FallbackToCpu { get; init; }

    /// <summary>Threads inside an operator (0: ORT's choice).</summary>
    public int IntraOpNumThreads { get; init; }

    /// <summary>
    /// Let ORT's worker threads spin between runs (default false: a pipeline does its own work between batches, and
    /// spinning threads take the cores from it — writing a predictions CSV ran 2–3× slower with them spinning).
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>Threads across operators (0: ORT's choice).</summary>
    public int InterOpNumThreads { get; init; }

    /// <summary>The libonnxruntime to use; null follows the documented search order.</summary>
    public string? LibraryPath { get; init; }
}

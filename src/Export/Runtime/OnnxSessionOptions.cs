namespace DlBook.Export.Runtime;

/// <summary>How an <see cref="OnnxSession"/> is created.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>Threads inside an operator (0: ONNX Runtime's choice, one per core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across operators (0: ONNX Runtime's choice).</summary>
    public int InterOpThreads { get; init; }

    /// <summary>
    /// Let ORT's worker threads spin between runs: null keeps ONNX Runtime's default (they spin, which is fastest for
    /// back-to-back runs); false stops them — the batch scorer does, since spinning threads took both cores from its CSV
    /// writer on these machines.
    /// </summary>
    public bool? AllowSpinning { get; init; }

    /// <summary>Graph optimisations (default all).</summary>
    public OnnxGraphOptimizationLevel GraphOptimization { get; init; } = OnnxGraphOptimizationLevel.All;

    /// <summary>CUDA device to run on; null runs on CPU. Needs the Microsoft.ML.OnnxRuntime.Gpu.Linux package instead of Microsoft.ML.OnnxRuntime.</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>When the CUDA provider cannot be used: true runs on CPU with a warning, false throws <see cref="OnnxRuntimeProviderException"/>.</summary>
    public bool FallbackToCpu { get; init; }

    /// <summary>Receives warnings (the CPU fallback).</summary>
    public Action<string>? Log { get; init; }
}

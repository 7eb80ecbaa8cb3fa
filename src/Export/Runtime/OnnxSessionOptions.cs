using DlBook.Pipelines.Core;

namespace DlBook.Export.Runtime;

/// <summary>How an <see cref="OnnxSession"/> is created.</summary>
public sealed record OnnxSessionOptions
{
    /// <summary>Path of libonnxruntime to use; null follows the search order of <see cref="OnnxRuntimeLibrary"/>.</summary>
    public string? LibraryPath { get; init; }

    /// <summary>Threads inside one operator; 0 lets ORT choose (one per core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across independent operators; 0 lets ORT choose.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>
    /// Whether ORT's intra-op worker threads spin between operators and runs (<c>session.intra_op.allow_spinning</c>);
    /// null keeps ORT's default (spin). Spinning shaves microseconds off back-to-back runs but burns the cores that
    /// the caller's own work between runs (reading batches, writing predictions) needs: turn it off there.
    /// </summary>
    public bool? AllowSpinning { get; init; }

    /// <summary>Graph optimisation level (default: all).</summary>
    public OnnxGraphOptimizationLevel GraphOptimization { get; init; } = OnnxGraphOptimizationLevel.All;

    /// <summary>CUDA device to run on; null runs on CPU.</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>When the CUDA provider cannot be used: true runs on CPU with a warning, false throws <see cref="OnnxRuntimeProviderException"/>.</summary>
    public bool FallbackToCpu { get; init; }

    /// <summary>Receives this binding's warnings (e.g. the CPU fallback); ORT's own messages go to <see cref="OnnxRuntimeLibrary.Message"/>.</summary>
    public Action<LogLevel, string>? Log { get; init; }
}

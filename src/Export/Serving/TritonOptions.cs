namespace DlBook.Export.Serving;

/// <summary>Settings of a Triton Inference Server model configuration.</summary>
public sealed record TritonOptions
{
    /// <summary>Largest batch Triton forms (max_batch_size); default 256.</summary>
    public int MaxBatchSize { get; init; } = 256;

    /// <summary>Batch sizes the dynamic batcher prefers; empty lets it fill up to <see cref="MaxBatchSize"/>.</summary>
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [];

    /// <summary>How long the dynamic batcher waits to fill a batch, in microseconds; default 100.</summary>
    public int MaxQueueDelayMicroseconds { get; init; } = 100;

    /// <summary>Model version folder; default 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>"KIND_CPU", "KIND_GPU", or null to let Triton choose (GPU when present).</summary>
    public string? InstanceKind { get; init; }

    /// <summary>Model instances per device; default 1.</summary>
    public int InstanceCount { get; init; } = 1;
}

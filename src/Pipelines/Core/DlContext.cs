using DlBook.Engine.Random;
using DlBook.Pipelines.Catalogs;

namespace DlBook.Pipelines.Core;

/// <summary>
/// The entry point, like ML.NET's MLContext: a seed, a log, and the catalogs. Trainers, model
/// save/load, ONNX export and ONNX scoring are extension methods on the catalogs, defined in the
/// assemblies that implement them (DlBook.Trainers, DlBook.Export).
/// </summary>
public sealed class DlContext
{
    private readonly Rng _seeds;

    /// <summary>Creates a context. With a seed, everything random (splits, shuffles, initialisation, dropout) is reproducible.</summary>
    public DlContext(int? seed = null)
    {
        Seed = seed;
        _seeds = new Rng(seed is int s ? (ulong)s : (ulong)Environment.TickCount64);
        Data = new DataCatalog(this);
        Transforms = new TransformsCatalog(this);
        Trainers = new TrainersCatalog(this);
        MulticlassClassification = new MulticlassClassificationCatalog(this);
        BinaryClassification = new BinaryClassificationCatalog(this);
        Regression = new RegressionCatalog(this);
        Model = new ModelOperationsCatalog(this);
    }

    /// <summary>The seed given at construction, or null.</summary>
    public int? Seed { get; }

    /// <summary>GPU device for ONNX scoring when a call does not name one (ML.NET's MLContext.GpuDeviceId).</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>Fall back to CPU when the GPU provider cannot be used (ML.NET's MLContext.FallbackToCpu).</summary>
    public bool FallbackToCpu { get; set; }

    /// <summary>Loaders, splits and in-memory views.</summary>
    public DataCatalog Data { get; }

    /// <summary>Transforms (normalisation, key mapping, concatenation; ONNX scoring via DlBook.Export).</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>Trainers (extension methods from DlBook.Trainers: Mlp, …).</summary>
    public TrainersCatalog Trainers { get; }

    /// <summary>Multiclass evaluation.</summary>
    public MulticlassClassificationCatalog MulticlassClassification { get; }

    /// <summary>Binary evaluation.</summary>
    public BinaryClassificationCatalog BinaryClassification { get; }

    /// <summary>Regression evaluation.</summary>
    public RegressionCatalog Regression { get; }

    /// <summary>Model save/load/export (extension methods from DlBook.Trainers and DlBook.Export).</summary>
    public ModelOperationsCatalog Model { get; }

    /// <summary>Messages from training and scoring (progress, warnings), like MLContext.Log.</summary>
    public event EventHandler<LogEventArgs>? Log;

    /// <summary>Raises <see cref="Log"/>.</summary>
    public void WriteLog(LogLevel level, string source, string message) =>
        Log?.Invoke(this, new LogEventArgs(level, source, message));

    /// <summary>The next derived seed: components that need randomness draw one here, so a seeded context is reproducible end to end.</summary>
    public ulong NextSeed()
    {
        lock (_seeds) return _seeds.NextUInt64();
    }
}

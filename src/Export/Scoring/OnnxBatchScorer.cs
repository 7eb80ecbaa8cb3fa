using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Pipelines.Bridge;
using DlBook.Pipelines.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Export.Scoring;

/// <summary>
/// Scores an ML.NET data view with an ONNX model exported by DlBook, in batches through the official ONNX Runtime
/// binding (pre-allocated, pinned buffers: ML.NET's <c>ApplyOnnxModel</c> runs one row per Run), and writes a predictions
/// CSV: <c>Row,PredictedLabel,Score_&lt;class&gt;…</c> (classification) or <c>Row,Score</c> (regression). The predicted
/// label is read from the scores as the graph computes it (arg-max; Probability &gt; 0.5 for binary) and named with the
/// model's label names. The file is written through <see cref="Pipelines.IO.AtomicFile"/>, so a failure leaves
/// nothing at the output path.
/// </summary>
public sealed class OnnxBatchScorer : IDisposable
{
    private readonly OnnxSession _session;
    private readonly OnnxBatchRunner _runner;
    private readonly OnnxBatchScorerOptions _options;
    private readonly string _scoreName;
    private readonly string[]? _labels;
    private readonly bool _binary, _regression;
    // The batch buffer, kept between calls: a fresh 31 MB buffer for batch 10,000 costs ~0.1 s of first-touch page faults here.
    private float[]? _batch;
    // Score may be called from several threads at once: the first caller uses _runner and _batch, the others lease
    // their own runner (bound input and output tensors) and buffer from this pool, so calls never share a tensor.
    private int _primaryInUse;
    private readonly System.Collections.Concurrent.ConcurrentBag<(OnnxBatchRunner Runner, float[] Batch)> _spare = [];
    private readonly List<OnnxBatchRunner> _extra = [];

    /// <summary>Opens <paramref name="modelFile"/> with ONNX Runtime.</summary>
    /// <exception cref="OnnxModelLoadException">The file is missing or not an ONNX model.</exception>
    /// <exception cref="OnnxRuntimeProviderException">CUDA was asked for, cannot be used, and no CPU fallback was allowed.</exception>
    public OnnxBatchScorer(string modelFile, OnnxBatchScorerOptions? options = null)
    {
        _options = options ?? new OnnxBatchScorerOptions();
        if (_options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), _options.BatchSize, $"The batch size must be at least 1 (got {_options.BatchSize}).");
        _session = OnnxSession.Open(modelFile, new OnnxSessionOptions
        {
            GpuDeviceId = _options.GpuDeviceId,
            FallbackToCpu = _options.FallbackToCpu,
            IntraOpThreads = _options.IntraOpNumThreads,
            AllowSpinning = false,   // spinning ORT threads took both cores from the CSV writer
            Log = _options.Log,
        });
        try
        {
            var task = _session.Metadata.GetValueOrDefault(OnnxMetadataKeys.Task, "");
            _binary = task == "BinaryClassification";
            _regression = task == "Regression";
            _scoreName = _binary && _session.Output("Probability") is not null ? "Probability"
                : _session.Output("Score")?.Name ?? _session.Outputs.FirstOrDefault(o => o.ElementType == OnnxElementType.Float)?.Name
                ?? throw new SchemaException($"ONNX model '{modelFile}' has no float output to write as scores.");
            _labels = _session.Metadata.TryGetValue(OnnxMetadataKeys.LabelNames, out var json) ? JsonSerializer.Deserialize<string[]>(json) : null;
            if (_options.InputColumnName is null && _session.Inputs.Count != 1)
                throw new SchemaException($"ONNX model '{modelFile}' has {_session.Inputs.Count} inputs ({string.Join(", ", _session.Inputs.Select(i => i.Name))}); " +
                    "the batch scorer feeds one feature column. Score a multi-input model with ML.NET's ApplyOnnxModel.");
            _runner = _session.Runner(_options.BatchSize, _options.InputColumnName ?? _session.Inputs[0].Name, [_scoreName]);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>The model's metadata_props (see <see cref="OnnxMetadataKeys"/>).</summary>
    internal IReadOnlyDictionary<string, string> Metadata => _session.Metadata;

    /// <summary>The model file, as given (for messages).</summary>
    internal string ModelName => _session.ModelName;

    /// <summary>Binary classification (the scores are the positive class's probability), regression, or neither (multiclass).</summary>
    internal (bool Binary, bool Regression) Kind => (_binary, _regression);

    /// <summary>The class names of the metadata (index i ↔ output i), or null.</summary>
    internal string[]? LabelNames => _labels;

    /// <summary>Floats per row of the scores passed to a batch callback.</summary>
    internal int OutputSize => _runner.OutputSize(_scoreName);

    /// <summary>The session's execution provider ("CPU" or "CUDA:n").</summary>
    public string ExecutionProvider => _session.ExecutionProvider;

    /// <summary>The model input (and so the column) scored.</summary>
    public string InputColumnName => _runner.InputName;

    /// <summary>Floats per input row.</summary>
    public int InputSize => _runner.InputSize;

    /// <summary>Scores every row of <paramref name="data"/>, calling <paramref name="onBatch"/> with the first row number, the rows and their scores (valid during the call).</summary>
    /// <exception cref="SchemaException">The data lacks the model's input column or it has the wrong size.</exception>
    /// <exception cref="DataFormatException">A value is NaN or infinite; the message names the row and column.</exception>
    /// <remarks>Thread-safe: concurrent calls (e.g. one per thread over different data) each get their own tensors.</remarks>
    public long Score(IDataView data, Action<long, int, ReadOnlySpan<float>> onBatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var reader = FeatureBatchReader.Open(data, CheckColumn(data.Schema), _runner.InputSize);
        return Score(reader, (first, n, scores, _) => onBatch(first, n, scores), cancellationToken);
    }

    /// <summary>
    /// The same, also reading the text column <paramref name="nameColumn"/> (e.g. each row's image path) and passing the
    /// batch's names to <paramref name="onBatch"/>.
    /// </summary>
    internal long Score(IDataView data, string nameColumn, Action<long, int, ReadOnlySpan<float>, IReadOnlyList<string>> onBatch, CancellationToken cancellationToken)
    {
        var names = data.Schema.GetColumnOrNull(nameColumn) is { Type: TextDataViewType } c ? c
            : throw new SchemaException($"The data has no text column '{nameColumn}' to name its rows by.");
        using var reader = FeatureBatchReader.Open(data, CheckColumn(data.Schema), _runner.InputSize, names);
        return Score(reader, onBatch, cancellationToken);
    }

    private long Score(FeatureBatchReader reader, Action<long, int, ReadOnlySpan<float>, IReadOnlyList<string>> onBatch, CancellationToken cancellationToken)
    {
        bool primary = Interlocked.CompareExchange(ref _primaryInUse, 1, 0) == 0;
        var (runner, x) = primary ? (_runner, _batch ??= new float[_runner.BatchSize * _runner.InputSize]) : Lease();
        try
        {
            int batch = runner.BatchSize;
            long done = 0;
            int n;
            while ((n = reader.Read(x, batch)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                runner.Run(x.AsMemory(), n);
                var scores = runner.Output(_scoreName);
                // The reader refuses non-finite features, so a non-finite score is the model's: never write it as a label.
                for (int k = 0; k < scores.Length; k++)
                    if (!float.IsFinite(scores[k]))
                        throw new DataFormatException(string.Create(CultureInfo.InvariantCulture,
                            $"ONNX model '{_session.ModelName}' gives the non-finite score {scores[k]} for data row {done + k / (scores.Length / n) + 1}, whose features are finite: its weights are damaged (or it diverged). Export the model again."));
                onBatch(done, n, scores, reader.Names);
                done += n;
            }
            return done;
        }
        finally
        {
            if (primary) Volatile.Write(ref _primaryInUse, 0);
            else _spare.Add((runner, x));
        }
    }

    private (OnnxBatchRunner Runner, float[] Batch) Lease()
    {
        if (_spare.TryTake(out var lease)) return lease;
        var runner = _session.Runner(_runner.BatchSize, _runner.InputName, [_scoreName]);
        lock (_extra) _extra.Add(runner);
        return (runner, new float[runner.BatchSize * runner.InputSize]);
    }

    /// <summary>Scores every row of <paramref name="data"/> and writes the predictions CSV to <paramref name="outputPath"/>.</summary>
    /// <exception cref="SchemaException">The data lacks the model's input column or it has the wrong size; nothing is written.</exception>
    public OnnxScoringSummary ScoreToCsv(IDataView data, string outputPath, IProgress<OnnxScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckColumn(data.Schema);   // before any file is created: a wrong column fails with nothing written
        int width = OutputSize;
        var full = Path.GetFullPath(outputPath);
        var clock = Stopwatch.StartNew();
        long total = data.GetRowCount() ?? -1;
        long rows = Pipelines.IO.AtomicFile.Write(full, file =>
        {
            using var writer = new PredictionCsvWriter(file, width, _binary, _regression, _labels);
            return Score(data, (first, count, scores) =>
            {
                writer.Write(first, count, scores);
                progress?.Report(new OnnxScoringProgress(first + count, total >= 0 ? total : null, clock.Elapsed));
            }, cancellationToken);
        });
        return new OnnxScoringSummary(full, rows, clock.Elapsed, ExecutionProvider);
    }

    internal DataViewSchema.Column CheckColumn(DataViewSchema schema)
    {
        var name = _runner.InputName;
        var col = schema.GetColumnOrNull(name)
            ?? throw new SchemaException($"The data has no column '{name}', the input of ONNX model '{_session.ModelName}'. " +
                $"Available: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.");
        if (col.Type is not VectorDataViewType { ItemType: var t, Size: var n } || t != NumberDataViewType.Single || n != _runner.InputSize)
            throw new SchemaException($"Column '{name}' is {Pipelines.Bridge.ColumnChecks.Describe(col.Type)}; ONNX model '{_session.ModelName}' takes Vector<Single, {_runner.InputSize}>.");
        return col;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _runner.Dispose();
        lock (_extra) foreach (var r in _extra) r.Dispose();
        _session.Dispose();
    }
}

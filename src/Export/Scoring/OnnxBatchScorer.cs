using System.Diagnostics;
using System.Globalization;
using System.Text;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Export.Scoring;

/// <summary>
/// Scores a data view (CSV, IDX, … as the pipelines' loaders read it) with an ONNX model in batches and
/// writes a predictions CSV: <c>Row,PredictedLabel,Score_&lt;class&gt;…</c>. The file is written under a
/// temporary name and renamed when complete, so a failure leaves nothing at the output path.
/// </summary>
public sealed class OnnxBatchScorer : IDisposable
{
    private readonly OnnxScoringTransformer _transformer;
    private readonly OnnxBatchScorerOptions _options;
    private readonly string _input;

    /// <summary>Opens <paramref name="modelFile"/> with ONNX Runtime.</summary>
    public OnnxBatchScorer(string modelFile, OnnxBatchScorerOptions? options = null)
    {
        _options = options ?? new OnnxBatchScorerOptions();
        if (_options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Batch size must be at least 1 (got {_options.BatchSize}).");
        var context = new DlContext();
        if (_options.Log is { } log) context.Log += (_, e) => log(e.Level, e.Message);
        _transformer = new OnnxScoringTransformer(context, new OnnxScoringOptions
        {
            ModelFile = modelFile,
            InputColumns = _options.InputColumnName is { } c ? [c] : null,
            GpuDeviceId = _options.GpuDeviceId,
            FallbackToCpu = _options.FallbackToCpu,
            IntraOpNumThreads = _options.IntraOpNumThreads,
            LibraryPath = _options.LibraryPath,
        });
        if (_transformer.InputColumnNames.Count != 1)
        {
            _transformer.Dispose();
            throw new SchemaException($"ONNX model '{modelFile}' has {_transformer.Session.Inputs.Count} inputs; the batch scorer feeds one feature column. Use ApplyOnnxModel for multi-input models.");
        }
        _input = _transformer.InputColumnNames[0];
    }

    /// <summary>The session's execution provider ("CPU" or "CUDA:n").</summary>
    public string ExecutionProvider => _transformer.Session.ExecutionProvider;

    /// <summary>The model input (and so the column) scored.</summary>
    public string InputColumnName => _input;

    /// <summary>Scores every row of <paramref name="data"/> and writes the predictions CSV to <paramref name="outputPath"/>.</summary>
    /// <exception cref="SchemaException">The data lacks the model's input column or it has the wrong size.</exception>
    public OnnxScoringSummary ScoreToCsv(IDataView data, string outputPath, IProgress<OnnxScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        // Validate before creating any file: a wrong column fails here with nothing written.
        _transformer.GetOutputSchema(data.Schema);
        var session = _transformer.Session;
        var score = session.Output("Score") ?? session.Outputs.FirstOrDefault(o => o.ElementType == Runtime.OnnxElementType.Float)
            ?? throw new SchemaException($"ONNX model '{session.ModelName}' has no float output to write as scores.");
        var predicted = session.Output("PredictedLabel");
        var labels = _transformer.LabelNames;
        int width = checked((int)score.RowSize);
        bool classify = predicted is not null || (width > 1 && labels is not null);

        var full = Path.GetFullPath(outputPath);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var clock = Stopwatch.StartNew();
        long rows = 0;
        try
        {
            using (var writer = new StreamWriter(tmp, false, new UTF8Encoding(false), 1 << 16))
            {
                var header = new StringBuilder("Row");
                if (classify) header.Append(",PredictedLabel");
                for (int j = 0; j < width; j++) header.Append(',').Append(Csv($"Score_{(labels is not null && j < labels.Count && width > 1 ? labels[j] : j.ToString(CultureInfo.InvariantCulture))}"));
                writer.Write(header.Append('\n').ToString());

                var scored = _transformer.Transform(data);
                var columns = new List<string> { _input, score.Name };
                if (predicted is not null) columns.Add(predicted.Name);
                var labelText = Enumerable.Range(0, Math.Max(width, 2)).Select(k => Csv(labels is not null && k < labels.Count ? labels[k] : k.ToString(CultureInfo.InvariantCulture))).ToArray();
                var line = new char[64 + 24 * width + labelText.Max(t => t.Length)];
                foreach (var batch in scored.GetBatches(new BatchOptions { BatchSize = _options.BatchSize, Columns = columns, ReuseBuffers = true }))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var s = batch.Get<FloatColumnData>(score.Name);
                    var keys = predicted is not null ? batch.Get<KeyColumnData>(predicted.Name).Keys : null;
                    for (int r = 0; r < batch.RowCount; r++)
                    {
                        // Formatted straight into one buffer: at 10,000 rows × 11 fields, per-field strings cost more than ORT's Run.
                        var span = line.AsSpan();
                        (rows + r).TryFormat(span, out int len, default, CultureInfo.InvariantCulture);
                        var row = s.Row(r);
                        if (classify)
                        {
                            int k = keys is not null ? (int)keys[r] : ArgMax(row);
                            var text = k < labelText.Length ? labelText[k] : k.ToString(CultureInfo.InvariantCulture);
                            span[len++] = ',';
                            text.CopyTo(span[len..]);
                            len += text.Length;
                        }
                        foreach (var v in row)
                        {
                            span[len++] = ',';
                            v.TryFormat(span[len..], out int w, "R", CultureInfo.InvariantCulture);
                            len += w;
                        }
                        span[len++] = '\n';
                        writer.Write(line, 0, len);
                    }
                    rows += batch.RowCount;
                    progress?.Report(new OnnxScoringProgress(rows, data.RowCount, clock.Elapsed));
                }
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        return new OnnxScoringSummary(full, rows, clock.Elapsed, ExecutionProvider);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
        return best;
    }

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <inheritdoc />
    public void Dispose() => _transformer.Dispose();
}

using System.Buffers;
using System.Globalization;
using System.Text;

namespace DlBook.Export.Scoring;

/// <summary>
/// Writes the batch scorer's predictions CSV — <c>Row,PredictedLabel,Score_&lt;class&gt;…</c>, or <c>Row,Probability</c>
/// with a <c>true</c>/<c>false</c> label for binary, or <c>Row,Score</c> for regression — formatting numbers straight
/// into UTF-8 bytes. By path (images): <c>Path,PredictedLabel,Probability,Score_&lt;class&gt;…</c>, where Probability is
/// the predicted class's and binary has one column per class (1 − p and p), or <c>Path,Score</c> for regression. Formatting 11 shortest round-trip numbers per row costs more than ONNX Runtime's Run for the
/// book's network, so a large batch is formatted on all cores, in slices written back in row order.
/// </summary>
internal sealed class PredictionCsvWriter : IDisposable
{
    private const int RowsPerSlice = 512;
    private readonly Stream _stream;
    private readonly int _width;
    private readonly bool _classify, _binary, _byPath;
    private readonly byte[][] _labelText;
    private readonly int _maxLine;

    /// <param name="stream">Where the CSV goes.</param>
    /// <param name="width">Scores per row.</param>
    /// <param name="binary">The one score is the positive class's probability.</param>
    /// <param name="regression">The scores are values, not classes.</param>
    /// <param name="labels">The class names, or null (numbered; false/true for binary).</param>
    /// <param name="byPath">Rows are named by a path (each <see cref="Write"/> gets the names) and the predicted class's probability is written.</param>
    public PredictionCsvWriter(Stream stream, int width, bool binary, bool regression, string[]? labels, bool byPath = false)
    {
        _stream = stream;
        _width = width;
        _binary = binary;
        _byPath = byPath;
        _classify = !regression && (binary || width > 1);
        var header = new StringBuilder(byPath ? "Path" : "Row");
        if (_classify) header.Append(",PredictedLabel");
        if (_classify && byPath)
        {
            header.Append(",Probability");
            for (int j = 0; j < (binary ? 2 : width); j++) header.Append(',').Append(Csv($"Score_{LabelName(labels, j, binary)}"));
        }
        else if (binary) header.Append(",Probability");
        else
            for (int j = 0; j < width; j++)
                header.Append(',').Append(Csv(width == 1 ? "Score" : $"Score_{LabelName(labels, j)}"));
        var bytes = Encoding.UTF8.GetBytes(header.Append('\n').ToString());
        _stream.Write(bytes);
        _labelText = (binary && !(byPath && labels is { Length: 2 }) ? ["false", "true"] : Enumerable.Range(0, Math.Max(width, 2)).Select(k => Csv(LabelName(labels, k))))
            .Select(Encoding.UTF8.GetBytes).ToArray();
        // Row number (≤ 20), each score (≤ 16 bytes with "R") and the probability, commas, the longest label, the
        // newline; by path, the path (counted per batch) instead of the row number.
        _maxLine = 44 + 20 * Math.Max(width, 2) + _labelText.Max(t => t.Length);
    }

    /// <summary>
    /// Writes rows <paramref name="first"/>…<paramref name="first"/>+<paramref name="count"/>−1 of <paramref name="scores"/>
    /// ([count, width]); by path, <paramref name="names"/> holds the rows' paths.
    /// </summary>
    public void Write(long first, int count, ReadOnlySpan<float> scores, IReadOnlyList<string>? names = null)
    {
        if (_byPath && (names is null || names.Count < count))
            throw new ArgumentException($"A predictions CSV by path needs a path for each of the {count} rows.", nameof(names));
        int slices = (count + RowsPerSlice - 1) / RowsPerSlice;
        if (slices == 1 || Environment.ProcessorCount == 1)
        {
            for (int start = 0; start < count; start += RowsPerSlice)
            {
                int n = Math.Min(RowsPerSlice, count - start);
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize(names, start, n));
                try
                {
                    int len = Format(first + start, scores.Slice(start * _width, n * _width), n, buffer, names, start);
                    _stream.Write(buffer, 0, len);
                }
                finally { ArrayPool<byte>.Shared.Return(buffer); }
            }
            return;
        }
        var copy = ArrayPool<float>.Shared.Rent(count * _width);   // a span cannot cross into the parallel loop
        var buffers = new byte[slices][];
        var lengths = new int[slices];
        try
        {
            scores[..(count * _width)].CopyTo(copy);
            Parallel.For(0, slices, s =>
            {
                int start = s * RowsPerSlice, n = Math.Min(RowsPerSlice, count - start);
                buffers[s] = ArrayPool<byte>.Shared.Rent(BufferSize(names, start, n));
                lengths[s] = Format(first + start, copy.AsSpan(start * _width, n * _width), n, buffers[s], names, start);
            });
            for (int s = 0; s < slices; s++) _stream.Write(buffers[s], 0, lengths[s]);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(copy);
            foreach (var b in buffers) if (b is not null) ArrayPool<byte>.Shared.Return(b);
        }
    }

    // The bytes rows start…start+count−1 need at most: the fixed part, and by path each path quoted with its quotes doubled.
    private int BufferSize(IReadOnlyList<string>? names, int start, int count)
    {
        long size = (long)_maxLine * count;
        if (_byPath)
            for (int r = start; r < start + count; r++) size += 2L * Encoding.UTF8.GetMaxByteCount(names![r].Length) + 2;
        return checked((int)size);
    }

    private int Format(long first, ReadOnlySpan<float> scores, int count, Span<byte> output, IReadOnlyList<string>? names, int nameOffset)
    {
        int len = 0;
        for (int r = 0; r < count; r++)
        {
            int w;
            if (_byPath) len += Encoding.UTF8.GetBytes(Csv(names![nameOffset + r]), output[len..]);
            else
            {
                (first + r).TryFormat(output[len..], out w, default, CultureInfo.InvariantCulture);
                len += w;
            }
            var row = scores.Slice(r * _width, _width);
            if (_classify)
            {
                int predicted = _binary ? (row[0] > 0.5f ? 1 : 0) : ArgMax(row);
                var text = _labelText[predicted];
                output[len++] = (byte)',';
                text.CopyTo(output[len..]);
                len += text.Length;
                if (_byPath)
                {
                    // The predicted class's probability, then one per class (binary: 1 − p and p).
                    len += Number(_binary ? (predicted == 1 ? row[0] : 1 - row[0]) : row[predicted], output[len..]);
                    if (_binary) len += Number(1 - row[0], output[len..]);
                }
            }
            foreach (var v in row) len += Number(v, output[len..]);
            output[len++] = (byte)'\n';
        }
        return len;
    }

    // ",value" in shortest round-trip form; returns the bytes written.
    private static int Number(float v, Span<byte> output)
    {
        output[0] = (byte)',';
        v.TryFormat(output[1..], out int w, "R", CultureInfo.InvariantCulture);
        return w + 1;
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
        return best;
    }

    // A binary model's class k (0: negative): its name when the model names both classes, else false/true.
    private static string LabelName(string[]? labels, int k, bool binary) =>
        binary && labels is not { Length: 2 } ? (k == 1 ? "true" : "false") : LabelName(labels, k);

    private static string LabelName(string[]? labels, int k) =>
        labels is not null && k < labels.Length ? labels[k] : k.ToString(CultureInfo.InvariantCulture);

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    public void Dispose() => _stream.Flush();
}

using System.Buffers;
using System.Globalization;
using System.Text;

namespace DlBook.Export.Scoring;

/// <summary>
/// Writes the batch scorer's predictions CSV — <c>Row,PredictedLabel,Score_&lt;class&gt;…</c>, or <c>Row,Probability</c>
/// with a <c>true</c>/<c>false</c> label for binary, or <c>Row,Score</c> for regression — formatting numbers straight
/// into UTF-8 bytes. Formatting 11 shortest round-trip numbers per row costs more than ONNX Runtime's Run for the
/// book's network, so a large batch is formatted on all cores, in slices written back in row order.
/// </summary>
internal sealed class PredictionCsvWriter : IDisposable
{
    private const int RowsPerSlice = 512;
    private readonly Stream _stream;
    private readonly int _width;
    private readonly bool _classify, _binary;
    private readonly byte[][] _labelText;
    private readonly int _maxLine;

    public PredictionCsvWriter(Stream stream, int width, bool binary, bool regression, string[]? labels)
    {
        _stream = stream;
        _width = width;
        _binary = binary;
        _classify = !regression && (binary || width > 1);
        var header = new StringBuilder("Row");
        if (_classify) header.Append(",PredictedLabel");
        if (binary) header.Append(",Probability");
        else
            for (int j = 0; j < width; j++)
                header.Append(',').Append(Csv(width == 1 ? "Score" : $"Score_{LabelName(labels, j)}"));
        var bytes = Encoding.UTF8.GetBytes(header.Append('\n').ToString());
        _stream.Write(bytes);
        _labelText = (binary ? ["false", "true"] : Enumerable.Range(0, Math.Max(width, 2)).Select(k => Csv(LabelName(labels, k))))
            .Select(Encoding.UTF8.GetBytes).ToArray();
        // Row number (≤ 20), each score (≤ 16 bytes with "R"), commas, the longest label, the newline.
        _maxLine = 24 + 20 * width + _labelText.Max(t => t.Length);
    }

    /// <summary>Writes rows <paramref name="first"/>…<paramref name="first"/>+<paramref name="count"/>−1 of <paramref name="scores"/> ([count, width]).</summary>
    public void Write(long first, int count, ReadOnlySpan<float> scores)
    {
        int slices = (count + RowsPerSlice - 1) / RowsPerSlice;
        if (slices == 1 || Environment.ProcessorCount == 1)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(_maxLine * Math.Min(count, RowsPerSlice));
            try
            {
                for (int start = 0; start < count; start += RowsPerSlice)
                {
                    int n = Math.Min(RowsPerSlice, count - start);
                    int len = Format(first + start, scores.Slice(start * _width, n * _width), n, buffer);
                    _stream.Write(buffer, 0, len);
                }
            }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
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
                buffers[s] = ArrayPool<byte>.Shared.Rent(_maxLine * n);
                lengths[s] = Format(first + start, copy.AsSpan(start * _width, n * _width), n, buffers[s]);
            });
            for (int s = 0; s < slices; s++) _stream.Write(buffers[s], 0, lengths[s]);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(copy);
            foreach (var b in buffers) if (b is not null) ArrayPool<byte>.Shared.Return(b);
        }
    }

    private int Format(long first, ReadOnlySpan<float> scores, int count, Span<byte> output)
    {
        int len = 0;
        for (int r = 0; r < count; r++)
        {
            (first + r).TryFormat(output[len..], out int w, default, CultureInfo.InvariantCulture);
            len += w;
            var row = scores.Slice(r * _width, _width);
            if (_classify)
            {
                var text = _labelText[_binary ? (row[0] > 0.5f ? 1 : 0) : ArgMax(row)];
                output[len++] = (byte)',';
                text.CopyTo(output[len..]);
                len += text.Length;
            }
            foreach (var v in row)
            {
                output[len++] = (byte)',';
                v.TryFormat(output[len..], out w, "R", CultureInfo.InvariantCulture);
                len += w;
            }
            output[len++] = (byte)'\n';
        }
        return len;
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++) if (row[j] > row[best]) best = j;
        return best;
    }

    private static string LabelName(string[]? labels, int k) =>
        labels is not null && k < labels.Length ? labels[k] : k.ToString(CultureInfo.InvariantCulture);

    private static string Csv(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    public void Dispose() => _stream.Flush();
}

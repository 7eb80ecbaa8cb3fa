using System.Buffers;
using DlBook.Pipelines.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Pipelines.Bridge;

/// <summary>
/// Reads an ML.NET <see cref="IDataView"/> into engine-owned memory with one sequential cursor pass — ML.NET's shuffled
/// cursors deliver fewer rows per second than the engine trains on, so the engine permutes row indices itself.
/// Rows whose label is missing (key 0, NaN) or whose features hold a NaN are skipped and counted, as ML.NET's own
/// trainers do.
/// </summary>
public static class DataBridge
{
    /// <summary>
    /// Reads up to <paramref name="maxRows"/> rows starting at the cursor's current row. Returns null when the cursor
    /// had no row left.
    /// </summary>
    internal static EngineTable? ReadChunk(RowReader reader, long maxRows, out bool more)
    {
        var shape = reader.FeatureShape;
        int size = reader.FeatureSize;
        long known = reader.RemainingKnown;
        int capacity = (int)Math.Min(maxRows, known >= 0 ? Math.Max(known, 1) : 4096);
        var features = new FeatureBuffer(size, capacity);
        uint[]? classes = reader.Columns.Kind is LabelKind.Key || reader.BinaryAsClass ? new uint[capacity] : null;
        float[]? targets = reader.Columns.Kind is LabelKind.Single || (reader.Columns.Kind is LabelKind.Binary && !reader.BinaryAsClass) ? new float[capacity] : null;
        List<long>? sourceRows = null;
        int rows = 0;
        more = false;
        long first = reader.NextSourceRow;
        while (rows < maxRows)
        {
            if (!reader.MoveNext()) break;
            if (!reader.RowIsComplete) { sourceRows ??= Enumerable.Range(0, rows).Select(i => first + i).ToList(); continue; }
            if (rows == features.Capacity)
            {
                int grow = (int)Math.Min(maxRows, Math.Max(4096L, (long)rows * 2));
                features.Grow(grow);
                if (classes is not null) Array.Resize(ref classes, grow);
                if (targets is not null) Array.Resize(ref targets, grow);
            }
            features.Append(rows, reader.Features);
            if (classes is not null) classes[rows] = reader.Class;
            if (targets is not null) targets[rows] = reader.Target;
            sourceRows?.Add(reader.SourceRow);
            rows++;
        }
        if (rows == maxRows) more = reader.PeekMore();
        if (rows == 0 && !more) return null;
        if (classes is not null && classes.Length != rows) Array.Resize(ref classes, rows);
        if (targets is not null && targets.Length != rows) Array.Resize(ref targets, rows);
        var (floats, bytes, scale) = features.Finish(rows);
        return new EngineTable(rows, shape, floats, bytes, scale, classes, targets, sourceRows?.ToArray());
    }

    /// <summary>
    /// Features of appended rows, held as bytes while every value is a byte × scale, else as floats. The arrays come from
    /// <see cref="ArrayPool{T}.Shared"/> and go back when the table is released: on these VMs a first touch of fresh
    /// memory costs about 13 µs per 4 KiB page, more than reading MNIST through ML.NET's cursor, so repeated fits
    /// (cross-validation folds, benchmarks) reuse the pages of the previous one.
    /// </summary>
    private sealed class FeatureBuffer(int size, int capacity)
    {
        private static readonly float[] Scales = [ByteScaling.PixelScale, 1f];
        private byte[]? _bytes = ArrayPool<byte>.Shared.Rent(checked(size * Math.Max(1, capacity)));
        private float[]? _floats;
        private float _scale = float.NaN;

        public int Capacity { get; private set; } = capacity;

        public void Grow(int rows)
        {
            if (_bytes is not null) _bytes = Regrow(_bytes, Capacity * size, checked(rows * size));
            if (_floats is not null) _floats = Regrow(_floats, Capacity * size, checked(rows * size));
            Capacity = rows;
        }

        private static T[] Regrow<T>(T[] old, int used, int length)
        {
            if (old.Length >= length) return old;
            var grown = ArrayPool<T>.Shared.Rent(length);
            old.AsSpan(0, used).CopyTo(grown);
            ArrayPool<T>.Shared.Return(old);
            return grown;
        }

        public void Append(int row, ReadOnlySpan<float> values)
        {
            if (_bytes is not null)
            {
                var dst = _bytes.AsSpan(row * size, size);
                if (float.IsNaN(_scale))
                    foreach (var s in Scales)
                        if (ByteScaling.TryEncode(values, dst, s)) { _scale = s; return; }
                if (!float.IsNaN(_scale) && ByteScaling.TryEncode(values, dst, _scale)) return;
                // A value that is not a byte × scale: from here on the features are floats (the rows so far convert exactly).
                _floats = ArrayPool<float>.Shared.Rent(checked(Capacity * size));
                if (!float.IsNaN(_scale)) ByteScaling.Scale(_bytes.AsSpan(0, row * size), _floats, _scale);
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = null;
            }
            values.CopyTo(_floats.AsSpan(row * size, size));
        }

        public (float[]? Floats, byte[]? Bytes, float Scale) Finish(int rows)
        {
            // The pooled arrays may be longer than rows × size; the table reads only its rows.
            if (_bytes is not null) return (null, _bytes, float.IsNaN(_scale) ? ByteScaling.PixelScale : _scale);
            return (_floats, null, 1f);
        }
    }
}

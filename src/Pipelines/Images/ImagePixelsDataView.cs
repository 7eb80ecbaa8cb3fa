using System.Buffers;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace DlBook.Pipelines.Images;

/// <summary>
/// The input rows with one more column, the decoded, resized pixels of the image each row's path names; rows whose
/// image cannot be read are left out (or stop the pass, by policy). A cursor streams: a second cursor over the input
/// reads the paths up to <c>Prefetch</c> rows ahead and decodes them on <c>DecodeThreads</c> threads, so at most
/// Prefetch images are held whatever the data set's size. The input must give the same rows in the same order to two
/// cursors made back to back (every ML.NET loader does); a cursor checks each path and says so when it does not.
/// </summary>
internal sealed class ImagePixelsDataView : IDataView
{
    private readonly IDataView _input;
    private readonly ImagePixelsOptions _options;
    private readonly IHost _host;
    private readonly ImageLoadReport _report;
    private readonly int _pathColumn;
    private readonly TaskScheduler _scheduler;

    public ImagePixelsDataView(IHost host, IDataView input, ImagePixelsOptions options, ImageLoadReport report)
    {
        _host = host;
        _input = input;
        _options = options;
        _report = report;
        _pathColumn = ImagePixelsTransformer.CheckPathColumn(input.Schema, options);
        _scheduler = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, options.DecodeThreads).ConcurrentScheduler;
        Schema = ImagePixelsTransformer.OutputSchema(input.Schema, options);
    }

    public bool CanShuffle => false;
    public DataViewSchema Schema { get; }

    /// <summary>Unknown: a bad image is only found when it is decoded.</summary>
    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        var inputColumns = needed.Where(i => i < _input.Schema.Count).Append(_pathColumn).Distinct()
            .Select(i => _input.Schema[i]).ToArray();
        return new Cursor(this, needed, _input.GetRowCursor(inputColumns), _input.GetRowCursor([_input.Schema[_pathColumn]]));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed record Decoded(string Path, float[]? Pixels, string? Problem);

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ImagePixelsDataView _view;
        private readonly HashSet<int> _active;
        private readonly DataViewRowCursor _rows;
        private readonly DataViewRowCursor _ahead;
        private readonly ValueGetter<ReadOnlyMemory<char>> _rowPath;
        private readonly ValueGetter<ReadOnlyMemory<char>> _aheadPath;
        private readonly Queue<Task<Decoded>> _queue = new();
        private readonly int _size;
        private Decoded? _current;
        private long _position = -1;
        private long _skipped;
        private bool _aheadDone;
        private bool _done;

        public Cursor(ImagePixelsDataView view, HashSet<int> active, DataViewRowCursor rows, DataViewRowCursor ahead)
        {
            _view = view;
            _active = active;
            _rows = rows;
            _ahead = ahead;
            var pathColumn = view._input.Schema[view._pathColumn];
            _rowPath = rows.GetGetter<ReadOnlyMemory<char>>(pathColumn);
            _aheadPath = ahead.GetGetter<ReadOnlyMemory<char>>(pathColumn);
            _size = ImageDecoder.Size(view._options);
        }

        public override long Position => _position;
        public override long Batch => 0;
        public override DataViewSchema Schema => _view.Schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<DataViewRowId> GetIdGetter() => _rows.GetIdGetter();

        private string Resolve(ReadOnlyMemory<char> path)
        {
            var p = path.ToString();
            return _view._options.ImageFolder is { Length: > 0 } folder && p.Length > 0 ? Path.Combine(folder, p) : p;
        }

        private void FillQueue()
        {
            var o = _view._options;
            while (!_aheadDone && _queue.Count < o.Prefetch)
            {
                if (!_ahead.MoveNext()) { _aheadDone = true; break; }
                ReadOnlyMemory<char> raw = default;
                _aheadPath(ref raw);
                var path = Resolve(raw);
                int size = _size;
                _queue.Enqueue(Task.Factory.StartNew(() => Decode(path, o, size), CancellationToken.None, TaskCreationOptions.None, _view._scheduler));
            }
        }

        private static Decoded Decode(string path, ImagePixelsOptions o, int size)
        {
            if (path.Length == 0) return new Decoded(path, null, "the path is empty.");
            var pixels = ArrayPool<float>.Shared.Rent(size);
            string? problem;
            try { problem = ImageDecoder.TryDecode(path, o, pixels.AsSpan(0, size)); }
            catch (Exception e) when (e is not OutOfMemoryException)
            { problem = $"decoding failed ({e.GetType().Name}: {e.Message})."; }
            if (problem is null) return new Decoded(path, pixels, null);
            ArrayPool<float>.Shared.Return(pixels);
            return new Decoded(path, null, problem);
        }

        private void Release()
        {
            if (_current?.Pixels is { } p) ArrayPool<float>.Shared.Return(p);
            _current = null;
        }

        public override bool MoveNext()
        {
            Release();
            if (_done) return false;
            while (true)
            {
                if (MlNetInternals.IsCanceled(_view._host))
                    throw new OperationCanceledException("LoadImagePixels: the pass was cancelled (MLContext.CancelExecution).");
                FillQueue();
                if (_queue.Count == 0)
                {
                    Finish();
                    return false;
                }
                var decoded = _queue.Dequeue().GetAwaiter().GetResult();
                if (!_rows.MoveNext())
                    throw Inconsistent($"the input ended before '{decoded.Path}'");
                ReadOnlyMemory<char> raw = default;
                _rowPath(ref raw);
                var path = Resolve(raw);
                if (path != decoded.Path)
                    throw Inconsistent($"one cursor read '{decoded.Path}' where the other read '{path}'");
                if (decoded.Problem is null)
                {
                    _current = decoded;
                    _position++;
                    _view._report.CountRead();
                    return true;
                }
                _skipped++;
                if (_view._options.BadImages == BadImagePolicy.Throw)
                    throw new DataFormatException(decoded.Path, "image", $"cannot be read as an image: {decoded.Problem}",
                        "Replace or delete the file, or use BadImagePolicy.Skip (the default) to leave such rows out and count them.");
                if (_view._report.CountSkipped(new BadImage(decoded.Path, decoded.Problem)))
                    Log(ChannelMessageKind.Warning, $"LoadImagePixels: skipping '{decoded.Path}': {decoded.Problem}");
            }
        }

        private void Finish()
        {
            if (_done) return;
            _done = true;
            if (_skipped > 0)
                Log(ChannelMessageKind.Warning,
                    $"LoadImagePixels: {_skipped:N0} of {_position + 1 + _skipped:N0} rows skipped in this pass (image could not be read); {_view._report}");
        }

        private void Log(ChannelMessageKind kind, string message)
        {
            using var ch = _view._host.Start("LoadImagePixels");
            MlNetInternals.Send(ch, kind, message);
        }

        private InvalidOperationException Inconsistent(string what) => new(
            $"LoadImagePixels reads its input with two cursors (one decodes ahead) and they disagree: {what}. The input view " +
            "must give the same rows in the same order to every cursor; put LoadImagePixels right after the loader " +
            "(LoadFromImageFolder, LoadFromTextFile) and shuffle with ShuffleRows before it using a fixed seed, or cache the input (AppendCacheCheckpoint).");

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was made.");
            if (column.Index < _view._input.Schema.Count)
                return _rows.GetGetter<TValue>(_view._input.Schema[column.Index]);
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                var pixels = _current?.Pixels ?? throw new InvalidOperationException("No current row: call MoveNext first.");
                var editor = VBufferEditor.Create(ref value, _size);
                pixels.AsSpan(0, _size).CopyTo(editor.Values);
                value = editor.Commit();
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Release();
                while (_queue.Count > 0)
                {
                    try
                    {
                        var d = _queue.Dequeue().GetAwaiter().GetResult();
                        if (d.Pixels is { } p) ArrayPool<float>.Shared.Return(p);
                    }
                    catch (Exception) { /* the pass is over; a decode error here changes nothing */ }
                }
                _rows.Dispose();
                _ahead.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

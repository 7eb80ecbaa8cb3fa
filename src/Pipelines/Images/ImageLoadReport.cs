using System.Collections.Concurrent;

namespace DlBook.Pipelines.Images;

/// <summary>One image that could not be read: its path and what is wrong with it.</summary>
/// <param name="Path">The file, as resolved (image folder joined).</param>
/// <param name="Problem">What is wrong, as a sentence (e.g. "the JPEG data ends early (a truncated ...)").</param>
public sealed record BadImage(string Path, string Problem);

/// <summary>
/// The images <c>LoadImagePixels</c> could not read, over every pass of every data view its transformer made: how many
/// distinct files, how many rows were left out (a file counts once per pass), and the first files by name. Thread-safe;
/// read it after (or during) a pass.
/// </summary>
public sealed class ImageLoadReport
{
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly List<BadImage> _first = [];
    private readonly int _kept;
    private long _skippedRows;
    private long _readRows;

    internal ImageLoadReport(int kept) => _kept = kept;

    /// <summary>How many distinct files could not be read.</summary>
    public int BadImageCount => _seen.Count;

    /// <summary>How many rows were left out, over all passes (a bad file read in three epochs counts three times).</summary>
    public long SkippedRows => Interlocked.Read(ref _skippedRows);

    /// <summary>How many rows were read and given out, over all passes.</summary>
    public long ReadRows => Interlocked.Read(ref _readRows);

    /// <summary>The first bad files (at most <c>BadImagesKept</c>, in the order met), with what is wrong with each.</summary>
    public IReadOnlyList<BadImage> FirstBadImages { get { lock (_first) return _first.ToArray(); } }

    internal void CountRead() => Interlocked.Increment(ref _readRows);

    /// <summary>Counts a skipped row; true when the file is new and was kept by name (so it is logged one by one).</summary>
    internal bool CountSkipped(BadImage bad)
    {
        Interlocked.Increment(ref _skippedRows);
        if (!_seen.TryAdd(bad.Path, 0)) return false;
        lock (_first)
        {
            if (_first.Count >= _kept) return false;
            _first.Add(bad);
            return true;
        }
    }

    /// <summary>One line: the count and the first files.</summary>
    public override string ToString() =>
        BadImageCount == 0 ? $"{ReadRows:N0} rows read, no bad image."
        : $"{ReadRows:N0} rows read, {SkippedRows:N0} skipped: {BadImageCount:N0} bad image(s), first: " +
          string.Join("; ", FirstBadImages.Select(b => $"{b.Path}: {b.Problem}"));
}

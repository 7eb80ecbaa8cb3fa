using System.Text;

namespace DlBook.Pipelines.IO;

/// <summary>
/// The one way this library writes a file — model zips, checkpoints, reports, ONNX files, predictions: under a
/// temporary name in the same folder, flushed to disk, then renamed over the final name. A reader, a crash or a killed
/// process therefore finds the previous complete file or the new complete one at the final name, never half a file; a
/// failed write deletes its temporary file and keeps the old one.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/> (which gets the temporary file's stream).</summary>
    public static void Write(string path, Action<Stream> write) => Write<object?>(path, s => { write(s); return null; });

    /// <summary>The same, returning what <paramref name="write"/> returns (e.g. the rows written).</summary>
    public static T Write<T>(string path, Func<Stream, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        // Same folder: the rename stays on one file system, which is what makes it atomic.
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            T result;
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                result = write(stream);
                stream.Flush(flushToDisk: true);   // the data on disk before the name points at it
            }
            File.Move(temp, full, overwrite: true);
            return result;
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Writes UTF-8 text (no BOM) through a <see cref="TextWriter"/>.</summary>
    public static T WriteText<T>(string path, Func<TextWriter, T> write) => Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        var result = write(writer);
        writer.Flush();
        return result;
    });

    /// <summary>Writes UTF-8 text (no BOM) through a <see cref="TextWriter"/>.</summary>
    public static void WriteText(string path, Action<TextWriter> write) => WriteText<object?>(path, w => { write(w); return null; });

    /// <summary>Writes <paramref name="bytes"/>.</summary>
    public static void WriteBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));
}

using System.Text;

namespace DlBook.Cli.Output;

/// <summary>Text files written under a temporary name in the same folder and renamed when complete: a failure leaves nothing half-written.</summary>
internal static class AtomicText
{
    public static void Write(string path, Action<TextWriter> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var writer = new StreamWriter(tmp, false, new UTF8Encoding(false), 1 << 16)) write(writer);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}

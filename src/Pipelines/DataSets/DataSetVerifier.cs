using System.IO.Compression;
using System.Security.Cryptography;

namespace DlBook.Pipelines.DataSets;

/// <summary>Checks a data set's files against their pinned SHA-256 (of the decompressed contents for .gz).</summary>
public static class DataSetVerifier
{
    /// <summary>Result for one file.</summary>
    /// <param name="File">The file.</param>
    /// <param name="Path">Where it was looked for.</param>
    /// <param name="Exists">Present on disk.</param>
    /// <param name="ActualSha256">Computed hash, null when missing or not pinned.</param>
    /// <param name="Ok">Present and (when pinned) matching.</param>
    public sealed record FileCheck(DataSetFile File, string Path, bool Exists, string? ActualSha256, bool Ok);

    /// <summary>Checks every file of the data set in <paramref name="folder"/>.</summary>
    public static IReadOnlyList<FileCheck> Verify(KnownDataSet dataSet, string folder) =>
        dataSet.Files.Select(f => Check(f, Path.Combine(folder, f.FileName))).ToList();

    /// <summary>Checks one file.</summary>
    public static FileCheck Check(DataSetFile file, string path)
    {
        if (!File.Exists(path)) return new FileCheck(file, path, false, null, false);
        if (file.ContentSha256 is null) return new FileCheck(file, path, true, null, true);
        string actual;
        try { actual = ContentSha256(path); }
        catch (InvalidDataException) { return new FileCheck(file, path, true, "corrupt gzip stream", false); }
        return new FileCheck(file, path, true, actual, actual == file.ContentSha256);
    }

    /// <summary>SHA-256 of the contents, decompressing when the file starts with the gzip magic.</summary>
    public static string ContentSha256(string path)
    {
        using var raw = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        int n = raw.Read(magic);
        raw.Position = 0;
        using Stream content = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }
}

using System.IO.Compression;

namespace DlBook.Trainers.Packaging;

/// <summary>
/// What a model zip may hold before it is handed to ML.NET's <c>Model.Load</c>, which extracts every entry it opens
/// in full (to a temporary file or to memory): a 2 MB zip can expand to gigabytes. <see cref="ModelFiles.Load"/>
/// checks each entry against these caps while decompressing it — never trusting the sizes the zip declares — and
/// refuses entry names that would leave the archive's folder or that repeat.
/// </summary>
public sealed record ModelArchiveLimits
{
    /// <summary>The caps <see cref="ModelFiles.Load"/> uses unless told otherwise.</summary>
    public static ModelArchiveLimits Default { get; } = new();

    /// <summary>Largest uncompressed entry (default 1 GiB; a network's weights are one entry).</summary>
    public long MaxEntryBytes { get; init; } = 1L << 30;

    /// <summary>Largest sum of all uncompressed entries (default 2 GiB).</summary>
    public long MaxTotalBytes { get; init; } = 2L << 30;

    /// <summary>Most entries (default 10,000; a model zip has a few per transform).</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Largest uncompressed ÷ compressed size of an entry above <see cref="RatioAppliesAboveBytes"/> (default 100; weights compress about 1.1×, JSON about 5×).</summary>
    public double MaxCompressionRatio { get; init; } = 100;

    /// <summary>Entries smaller than this (default 1 MiB) are not held to <see cref="MaxCompressionRatio"/>.</summary>
    public long RatioAppliesAboveBytes { get; init; } = 1L << 20;

    /// <summary>Reads every entry of the zip at <paramref name="path"/> once, counting; throws <see cref="ModelFormatException"/> naming the first entry over a cap.</summary>
    public void Check(string path)
    {
        using var file = File.OpenRead(path);
        ZipArchive zip;
        try { zip = new ZipArchive(file, ZipArchiveMode.Read); }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException(path, $"it is not a zip archive ({e.Message})", "Pass a model saved with mlContext.Model.Save or `dlbook train`.", e);
        }
        using (zip)
        {
            // ZipArchive reads the central directory on first use of Entries: a damaged one throws there, not above.
            try { _ = zip.Entries; }
            catch (InvalidDataException e)
            {
                throw new ModelFormatException(path, $"its zip directory is damaged ({e.Message})", "Save or copy the model again.", e);
            }
            if (zip.Entries.Count > MaxEntries)
                throw Refuse(path, $"it has {zip.Entries.Count:N0} entries, more than the {MaxEntries:N0} a model zip may have");
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            long total = 0;
            var buffer = new byte[1 << 16];
            foreach (var entry in zip.Entries)
            {
                string name = entry.FullName;
                if (!IsInside(name))
                    throw Refuse(path, $"its entry '{name}' points outside the archive's folder");
                if (!names.Add(name.Replace('\\', '/')))
                    throw Refuse(path, $"its entry '{name}' appears twice");
                if (entry.Length > MaxEntryBytes)
                    throw Refuse(path, $"its entry '{name}' declares {entry.Length:N0} bytes, more than the {MaxEntryBytes:N0} an entry may have");
                // The compressed size cannot exceed the file, whatever the zip says.
                long compressed = Math.Max(1, Math.Min(entry.CompressedLength, file.Length));
                long read = 0;
                var crc = new System.IO.Hashing.Crc32();
                try
                {
                    using var s = entry.Open();
                    int n;
                    while ((n = s.Read(buffer)) > 0)
                    {
                        crc.Append(buffer.AsSpan(0, n));
                        read += n;
                        total += n;
                        if (read > MaxEntryBytes)
                            throw Refuse(path, $"its entry '{name}' expands to more than the {MaxEntryBytes:N0} bytes an entry may have");
                        if (total > MaxTotalBytes)
                            throw Refuse(path, $"its entries expand to more than the {MaxTotalBytes:N0} bytes a model zip may hold (at entry '{name}')");
                        if (read > RatioAppliesAboveBytes && read > MaxCompressionRatio * compressed)
                            throw Refuse(path, $"its entry '{name}' expands more than {MaxCompressionRatio:N0}× ({compressed:N0} compressed bytes, over {read:N0} so far), as a zip bomb does");
                    }
                }
                catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException)
                {
                    throw new ModelFormatException(path, $"its entry '{name}' is damaged ({e.Message})", "Save or copy the model again.", e);
                }
                if (read != entry.Length)
                    throw new ModelFormatException(path, $"its entry '{name}' holds {read:N0} bytes but declares {entry.Length:N0}", "Save or copy the model again.");
                // ZipArchive does not check the CRC: damaged deflate data can still decode, to other bytes (other weights).
                if (crc.GetCurrentHashAsUInt32() != entry.Crc32)
                    throw new ModelFormatException(path, $"its entry '{name}' is damaged (its CRC-32 is 0x{crc.GetCurrentHashAsUInt32():X8}, the zip says 0x{entry.Crc32:X8})", "Save or copy the model again.");
            }
        }
    }

    private static bool IsInside(string name)
    {
        if (name.Length == 0 || name[0] is '/' or '\\' || (name.Length > 1 && name[1] == ':')) return false;
        return !name.Split('/', '\\').Any(part => part == "..");
    }

    private static ModelFormatException Refuse(string path, string problem) =>
        new(path, problem, "It is not a model this program wrote; do not load it");
}

namespace DlBook.Pipelines.DataSets;

/// <summary>One file of a known data set and the SHA-256 of its (decompressed, for .gz) contents.</summary>
/// <param name="FileName">File name inside the data set folder (may contain '/').</param>
/// <param name="ContentSha256">Lower-case hex SHA-256 of the contents after gzip decompression (of the raw bytes when not gzipped); null when not pinned.</param>
/// <param name="Bytes">Size in bytes of the file as distributed, for progress; 0 when unknown.</param>
public sealed record DataSetFile(string FileName, string? ContentSha256, long Bytes = 0);

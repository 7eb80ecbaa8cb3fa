namespace DlBook.Pipelines.DataSets;

/// <summary>
/// Fetches a data set over HTTP(S) into a folder. Each file goes to a temporary name, is checked
/// against its pinned hash, and only then renamed into place: an interrupted or corrupt download
/// leaves nothing behind under the real name.
/// </summary>
public sealed class DataSetDownloader(HttpClient http)
{
    /// <summary>Progress of one fetch: file, bytes so far, total bytes if known.</summary>
    public sealed record Progress(string FileName, long Bytes, long? TotalBytes);

    /// <summary>Downloads every file of <paramref name="dataSet"/> from <paramref name="baseUrl"/> (file names appended) into <paramref name="folder"/>; files already present and valid are kept.</summary>
    public async Task<IReadOnlyList<string>> FetchAsync(KnownDataSet dataSet, string folder, string? baseUrl = null,
        IProgress<Progress>? progress = null, CancellationToken cancellationToken = default)
    {
        baseUrl ??= dataSet.DefaultBaseUrl
            ?? throw new DataSetException($"Data set '{dataSet.Name}' has no download address; copy it into a data folder by hand (see its README).");
        if (!baseUrl.EndsWith('/')) baseUrl += "/";
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var file in dataSet.Files)
        {
            var target = Path.Combine(folder, file.FileName);
            if (File.Exists(target) && DataSetVerifier.Check(file, target).Ok) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temp = target + ".part";
            var url = new Uri(new Uri(baseUrl), file.FileName);
            try
            {
                using (var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
                {
                    if (!response.IsSuccessStatusCode)
                        throw new DataSetException($"Download of {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}. Check the URL (--url) or your network.");
                    long? total = response.Content.Headers.ContentLength;
                    await using var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await using var sink = File.Create(temp);
                    var buffer = new byte[1 << 16];
                    long done = 0;
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        done += read;
                        progress?.Report(new Progress(file.FileName, done, total));
                    }
                    sink.Flush(flushToDisk: true);   // on disk before it is verified and renamed into place
                }
                var check = DataSetVerifier.Check(file, temp);
                if (!check.Ok)
                    throw new DataSetException($"Downloaded {url} but its contents do not match the expected SHA-256 {file.ContentSha256} (got {check.ActualSha256}). The server holds a different or damaged file; nothing was kept.");
                File.Move(temp, target, overwrite: true);
                written.Add(target);
            }
            catch (HttpRequestException e)
            {
                throw new DataSetException($"Download of {url} failed: {e.Message}. Check the URL (--url) or your network.", e);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
        return written;
    }
}

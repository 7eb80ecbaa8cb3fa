namespace DlBook.Pipelines.DataSets;

/// <summary>
/// Fetches a data set over HTTP(S), or copies it from a <c>file://</c> folder, into a folder. Each file goes to a
/// temporary name, is checked against its pinned hash, and only then renamed into place: an interrupted or corrupt
/// download leaves nothing behind under the real name, and a folder the fetch created is removed again when it fails
/// before writing a file.
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
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var baseUri))
            throw new DataSetException($"--url '{baseUrl}' is not an absolute URL; give http://…, https://… or file:///folder/.");
        if (baseUri.Scheme is not ("http" or "https" or "file"))
            throw new DataSetException($"--url '{baseUrl}': the '{baseUri.Scheme}' scheme is not supported; give http://…, https://… or file:///folder/.");
        bool created = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        try { return await FetchFilesAsync(dataSet, folder, baseUri, progress, cancellationToken).ConfigureAwait(false); }
        catch when (created && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            throw;
        }
    }

    private async Task<IReadOnlyList<string>> FetchFilesAsync(KnownDataSet dataSet, string folder, Uri baseUri,
        IProgress<Progress>? progress, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        foreach (var file in dataSet.Files)
        {
            var target = Path.Combine(folder, file.FileName);
            if (File.Exists(target) && DataSetVerifier.Check(file, target).Ok) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var temp = target + ".part";
            var url = new Uri(baseUri, file.FileName);
            try
            {
                if (url.IsFile)
                {
                    if (!File.Exists(url.LocalPath))
                        throw new DataSetException($"Copy of {url} failed: there is no file {url.LocalPath}. Check the folder (--url).");
                    await using var source = File.OpenRead(url.LocalPath);
                    await CopyAsync(source, temp, file.FileName, source.Length, progress, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                        throw new DataSetException($"Download of {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}. Check the URL (--url).");
                    await using var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await CopyAsync(source, temp, file.FileName, response.Content.Headers.ContentLength, progress, cancellationToken).ConfigureAwait(false);
                }
                var check = DataSetVerifier.Check(file, temp);
                if (!check.Ok)
                    throw new DataSetException($"Downloaded {url} but its contents do not match the expected SHA-256 {file.ContentSha256} (got {check.ActualSha256}). The server holds a different or damaged file; nothing was kept.");
                File.Move(temp, target, overwrite: true);
                written.Add(target);
            }
            catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
                                                     or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
            {
                throw new DataSetNetworkException($"Download of {url} failed: {e.Message}. The network or the server is unreachable from here: check the connection, DNS and proxy, or give another mirror with --url.", e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DataSetNetworkException($"Download of {url} timed out after {http.Timeout.TotalMinutes:0.#} min. Check the connection, or give another mirror with --url.", e);
            }
            catch (HttpRequestException e)
            {
                throw new DataSetException($"Download of {url} failed: {e.Message}. Check the URL (--url).", e);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
        return written;
    }

    private static async Task CopyAsync(Stream source, string temp, string fileName, long? total, IProgress<Progress>? progress, CancellationToken cancellationToken)
    {
        await using var sink = File.Create(temp);
        var buffer = new byte[1 << 16];
        long done = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            done += read;
            progress?.Report(new Progress(fileName, done, total));
        }
        sink.Flush(flushToDisk: true);   // on disk before it is verified and renamed into place
    }
}

using System.Net;
using System.Net.Sockets;

namespace DlBook.Cli.Tests.Support;

/// <summary>A tiny HTTP server on 127.0.0.1 serving a map of paths to files (or 404), for testing downloads.</summary>
public sealed class LocalFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, string> _files;
    private readonly Task _loop;

    public LocalFileServer(Dictionary<string, string> files)
    {
        _files = files;
        int port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public string BaseUrl { get; }

    public int Requests;

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            Interlocked.Increment(ref Requests);
            var name = ctx.Request.Url!.AbsolutePath.TrimStart('/');
            if (_files.TryGetValue(name, out var path))
            {
                var bytes = await File.ReadAllBytesAsync(path);
                ctx.Response.ContentLength64 = bytes.Length;
                await ctx.Response.OutputStream.WriteAsync(bytes);
            }
            else ctx.Response.StatusCode = 404;
            ctx.Response.Close();
        }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}

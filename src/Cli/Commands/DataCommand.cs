using System.CommandLine;
using System.Text.Json.Nodes;
using DlBook.Cli.Output;
using DlBook.Pipelines.DataSets;
using Spectre.Console;

namespace DlBook.Cli.Commands;

/// <summary>dlbook data: list, locate, verify and fetch the book's data sets.</summary>
public static class DataCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Func<CliConsole> console)
    {
        var data = new Command("data", "Locate, verify and fetch the data sets (MNIST, Fashion-MNIST, dogs-vs-cats, …).");

        var list = new Command("list", "List the known data sets and where each was found.");
        list.SetAction(r => List(console(), r.GetValue(CommonOptions.DataDir)));
        data.Subcommands.Add(list);

        var nameArg = new Argument<string>("name") { Description = "Data set name (see 'dlbook data list')." };
        var verify = new Command("verify", "Check a data set's files against their pinned SHA-256.") { nameArg };
        verify.SetAction(r => Verify(console(), r.GetValue(nameArg)!, r.GetValue(CommonOptions.DataDir)));
        data.Subcommands.Add(verify);

        var fetchName = new Argument<string>("name") { Description = "Data set name." };
        var url = new Option<string?>("--url") { Description = "Base URL serving the files (file names are appended). Default: the data set's usual mirror." };
        var into = new Option<string?>("--into") { Description = "Folder to write into (default: <data-dir or ./data>/<name>)." };
        var fetch = new Command("fetch", "Download a data set, check its hashes and store it atomically.") { fetchName, url, into };
        fetch.SetAction((r, ct) => Fetch(console(), r.GetValue(fetchName)!, r.GetValue(url), r.GetValue(into), r.GetValue(CommonOptions.DataDir), ct));
        data.Subcommands.Add(fetch);
        return data;
    }

    private static int List(CliConsole c, string? dataDir)
    {
        var rows = DataSetRegistry.All.Select(d => (d, loc: DataSetLocator.Locate(d, dataDir))).ToList();
        c.WriteJson(new JsonArray(rows.Select(x => (JsonNode)new JsonObject
        {
            ["name"] = x.d.Name, ["description"] = x.d.Description, ["found"] = x.loc.Found, ["folder"] = x.loc.Folder,
        }).ToArray()));
        var table = new Table().AddColumns("data set", "found at", "what");
        foreach (var (d, loc) in rows) table.AddRow(Markup.Escape(d.Name), Markup.Escape(loc.Folder ?? "(not found)"), Markup.Escape(d.Description));
        c.Render(table);
        return CliErrors.Ok;
    }

    private static int Verify(CliConsole c, string name, string? dataDir)
    {
        var ds = DataSetRegistry.Get(name);
        var loc = DataSetLocator.Locate(ds, dataDir);
        if (!loc.Found) loc.PathOf(ds.Files[0].FileName); // throws with the searched folders
        var checks = DataSetVerifier.Verify(ds, loc.Folder!);
        bool ok = checks.All(x => x.Ok);
        c.WriteJson(new JsonObject
        {
            ["name"] = ds.Name, ["folder"] = loc.Folder, ["ok"] = ok,
            ["files"] = new JsonArray(checks.Select(x => (JsonNode)new JsonObject
            {
                ["file"] = x.File.FileName, ["exists"] = x.Exists, ["expectedSha256"] = x.File.ContentSha256,
                ["actualSha256"] = x.ActualSha256, ["ok"] = x.Ok, ["verified"] = x.Ok && x.File.ContentSha256 is not null,
            }).ToArray()),
        });
        foreach (var x in checks)
            c.Result($"{(!x.Ok ? "BAD" : x.File.ContentSha256 is null ? "-- " : "ok ")} {x.File.FileName}{(x.File.ContentSha256 is null ? (x.Ok ? ": present, not verified (no pinned hash)" : ": missing") : x.Ok ? "" : $" expected {x.File.ContentSha256}, got {x.ActualSha256 ?? "missing"}")}");
        if (!ok) throw new DataSetException($"Data set '{ds.Name}' in {loc.Folder} failed verification; fetch it again with 'dlbook data fetch {ds.Name}'.");
        int verified = checks.Count(x => x.File.ContentSha256 is not null), unpinned = checks.Count - verified;
        c.Info(unpinned == 0 ? $"{ds.Name}: all {TrainCommand.Plural(checks.Count, "file")} verified in {loc.Folder}"
            : verified == 0 ? $"{ds.Name}: {TrainCommand.Plural(checks.Count, "file")} present in {loc.Folder}, none verified (no pinned hashes)"
            : $"{ds.Name}: {TrainCommand.Plural(verified, "file")} verified, {unpinned:N0} present but not verified (no pinned hash), in {loc.Folder}");
        return CliErrors.Ok;
    }

    private static async Task<int> Fetch(CliConsole c, string name, string? url, string? into, string? dataDir, CancellationToken ct)
    {
        var ds = DataSetRegistry.Get(name);
        if (into is null && DataSetLocator.Locate(ds, dataDir) is { Found: true } present
            && DataSetVerifier.Verify(ds, present.Folder!).All(x => x.Ok && x.File.ContentSha256 is not null))
        {
            // Present and every file's pinned hash matches: nothing to download (--into fetches a copy anyway).
            c.WriteJson(new JsonObject { ["name"] = ds.Name, ["folder"] = present.Folder, ["written"] = new JsonArray() });
            c.Result($"{ds.Name}: already present and verified in {present.Folder}; nothing fetched (pass --into to fetch a copy elsewhere)");
            return CliErrors.Ok;
        }
        var folder = into ?? Path.Combine(dataDir ?? "data", ds.FolderName);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        var downloader = new DataSetDownloader(http);
        long lastReported = 0;
        var progress = new Progress<DataSetDownloader.Progress>(p =>
        {
            if (!c.ShowsProgress || p.Bytes - lastReported < 1 << 20 && p.Bytes != p.TotalBytes) return;
            lastReported = p.Bytes;
            c.Error.WriteLine($"  {p.FileName}: {p.Bytes / 1e6:F1} MB" + (p.TotalBytes is long t ? $" / {t / 1e6:F1} MB" : ""));
        });
        var written = await downloader.FetchAsync(ds, folder, url, progress, ct);
        c.WriteJson(new JsonObject { ["name"] = ds.Name, ["folder"] = Path.GetFullPath(folder), ["written"] = new JsonArray(written.Select(w => (JsonNode)w).ToArray()) });
        c.Result(written.Count == 0 ? $"{ds.Name}: every file was already present and verified in {Path.GetFullPath(folder)}; nothing fetched"
            : $"{ds.Name}: {TrainCommand.Plural(written.Count, "file")} fetched and verified into {Path.GetFullPath(folder)}");
        return CliErrors.Ok;
    }
}

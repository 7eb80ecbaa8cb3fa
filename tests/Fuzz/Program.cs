using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DlBook.Fuzz;
using DlBook.TestSupport;

// The fuzzing harness of #11: seeded mutations of every format the program reads, through the CLI (in-process) and
// the library; every case must end accepted (sane output) or rejected (exit 2 naming the file), within a per-case
// timeout and a bound on peak memory. Exit 0 when no case failed, 1 when one did, 2 on bad arguments.
FuzzOptions o;
try { o = FuzzOptions.Parse(args); }
catch (Exception e) when (e is ArgumentException or FormatException) { Console.Error.WriteLine(e.Message); return 2; }

var clock = Stopwatch.StartNew();
var deadline = TimeSpan.FromSeconds(o.TimeLimitSeconds);
var work = Path.GetFullPath(o.WorkDir);
if (Directory.Exists(Path.Combine(work, "cases"))) Directory.Delete(Path.Combine(work, "cases"), recursive: true);
var seeds = Seeds.Make(Path.Combine(work, "seeds"), o.DataDir ?? SharedData.Root);
double seedSeconds = clock.Elapsed.TotalSeconds;
var formats = Formats.All(seeds).Where(f => o.Formats.Length == 0 || o.Formats.Contains(f.Name)).ToArray();
if (formats.Length == 0) { Console.Error.WriteLine($"No format matches --formats {string.Join(',', o.Formats)}."); return 2; }

var stats = formats.ToDictionary(f => f.Name, f => new FormatStats(f));
var failures = new JsonArray();
string current = Path.Combine(work, "current-case.txt");
bool memoryExceeded = false;
int first = o.Case ?? 0, last = o.Case ?? o.CasesPerFormat - 1;
for (int i = first; i <= last && clock.Elapsed < deadline; i++)
    foreach (var format in formats)
    {
        if (clock.Elapsed >= deadline) break;
        var dir = Path.Combine(work, "cases", format.Name);
        Directory.CreateDirectory(dir);
        var rng = new Random(CaseSeed(o.Seed, format.Name, i));
        var log = new List<string>();
        var input = format.Make(rng, log, Path.Combine(dir, $"case-{format.Name}-{i:D5}"));
        var s = stats[format.Name];
        s.Cases++;
        long peakBefore = PeakRssMiB();
        bool failed = false;
        foreach (var target in format.Targets.Where(t => CaseRunner.Applies(t, input)))
        {
            // Before each run: a native crash (which no handler sees) leaves the case to reproduce here.
            File.WriteAllText(current, $"--seed {o.Seed} --formats {format.Name} --case {i}: {target.Name} ({string.Join("; ", log)})\n");
            var r = CaseRunner.Run(target, input, TimeSpan.FromSeconds(o.CaseTimeoutSeconds));
            s.Count(target.Name, r);
            if (!r.Failed) continue;
            failed = true;
            failures.Add(new JsonObject
            {
                ["format"] = format.Name, ["case"] = i, ["target"] = target.Name, ["outcome"] = r.Outcome.ToString(), ["exitCode"] = r.ExitCode,
                ["message"] = r.Message, ["mutations"] = string.Join("; ", log), ["file"] = input.Mutated,
                ["reproduce"] = $"dotnet DlBook.Fuzz.dll --seed {o.Seed} --formats {format.Name} --case {i} --work {work}",
            });
            Console.Error.WriteLine($"FAIL {format.Name} #{i} {target.Name}: {r.Outcome} {r.ExitCode} {r.Message} [{string.Join("; ", log)}]");
            if (r.Outcome == Outcome.Hang) break;
        }
        // The cases' garbage (48 MiB bombs, decoded images) is collected between cases once it passes 256 MiB, so the peak is one case's
        // working set over the harness's own, not the sum of what a lazy GC has not yet returned.
        if (GC.GetTotalMemory(forceFullCollection: false) > 256L << 20)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        long peak = PeakRssMiB();
        if (peak - peakBefore >= 100) Console.Error.WriteLine($"memory: {format.Name} #{i} raised the peak RSS from {peakBefore} to {peak} MiB [{string.Join("; ", log)}]");
        if (peak > o.MaxRssMiB && !memoryExceeded)
        {
            memoryExceeded = true;
            failures.Add(new JsonObject { ["format"] = format.Name, ["case"] = i, ["outcome"] = "Memory", ["message"] = $"peak RSS {peak} MiB above the bound of {o.MaxRssMiB} MiB", ["mutations"] = string.Join("; ", log) });
            failed = true;
        }
        if (!failed && !o.KeepAll)
            foreach (var f in Directory.GetFiles(dir, Path.GetFileName(input.Mutated) + "*")) File.Delete(f);
    }
File.Delete(current);

var summary = new JsonObject
{
    ["seed"] = o.Seed, ["casesPerFormat"] = o.CasesPerFormat, ["timeLimitSeconds"] = o.TimeLimitSeconds,
    ["caseTimeoutSeconds"] = o.CaseTimeoutSeconds, ["maxRssMiB"] = o.MaxRssMiB, ["peakRssMiB"] = PeakRssMiB(),
    ["seedSeconds"] = Math.Round(seedSeconds, 1), ["wallSeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
    ["cases"] = stats.Values.Sum(x => x.Cases), ["runs"] = stats.Values.Sum(x => x.Runs), ["failureCount"] = failures.Count,
    ["formats"] = new JsonObject(stats.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value.ToJson()))),
    ["failures"] = failures,
};
var text = summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
if (o.JsonPath is { } json) File.WriteAllText(json, text);
Console.WriteLine(text);
return failures.Count == 0 ? 0 : 1;

// A case's RNG seed from the run's seed, the format and the case index, the same in every process (string.GetHashCode is not).
static int CaseSeed(int seed, string format, int index)
{
    ulong h = 0xCBF29CE484222325;
    foreach (char c in $"{seed}/{format}/{index}") h = (h ^ c) * 0x100000001B3;
    return (int)(h ^ h >> 32) & int.MaxValue;
}

// VmHWM: the process's peak resident set, in MiB (Linux).
static long PeakRssMiB()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    return -1;
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DlBook.Pipelines.Core;

namespace DlBook.Export.Runtime;

/// <summary>
/// A loaded ONNX Runtime native library, its C API table and its process-wide environment. Found, in
/// order: an explicit path, the <c>DLBOOK_ONNXRUNTIME</c> environment variable, the normal native
/// library probing (so the native assets of an ORT NuGet package work), then
/// <c>.native/onnxruntime/libonnxruntime.so.1</c> in the application folder or any folder above it, or
/// above the current directory (where <c>bash scripts/setup.sh</c> puts it).
/// </summary>
public sealed unsafe class OnnxRuntimeLibrary
{
    /// <summary>The environment variable naming the library file.</summary>
    public const string EnvironmentVariable = "DLBOOK_ONNXRUNTIME";

    private static readonly ConcurrentDictionary<string, OnnxRuntimeLibrary> Loaded = new(StringComparer.Ordinal);
    private static readonly object LoadLock = new();

    private OnnxRuntimeLibrary(string location, nint handle, OrtApi api, string version)
    {
        Location = location;
        Handle = handle;
        Api = api;
        Version = version;
        Env = api.CreateEnvWithCustomLogger(&OnLog, 2 /* warning */, "dlbook");
        CpuMemory = api.CreateCpuMemoryInfo();
        Allocator = api.DefaultAllocator();
    }

    /// <summary>Where the library was loaded from (a path, or "native probing: onnxruntime").</summary>
    public string Location { get; }

    /// <summary>ORT's version string, e.g. "1.30.0".</summary>
    public string Version { get; }

    /// <summary>Messages ONNX Runtime logs (warnings and errors), from any session of any loaded library.</summary>
    public static event Action<LogLevel, string>? Message;

    internal nint Handle { get; }
    internal OrtApi Api { get; }
    internal nint Env { get; }
    internal nint CpuMemory { get; }
    internal nint Allocator { get; }

    /// <summary>Execution providers compiled into this build (e.g. "CPUExecutionProvider", "CUDAExecutionProvider").</summary>
    public IReadOnlyList<string> AvailableProviders => Api.AvailableProviders();

    /// <summary>Loads (once per location) the library: <paramref name="explicitPath"/> when given, else the documented search order.</summary>
    /// <exception cref="OnnxRuntimeNotFoundException">No usable library was found; the message says what to install or set.</exception>
    public static OnnxRuntimeLibrary Load(string? explicitPath = null) =>
        Load(explicitPath, Environment.GetEnvironmentVariable(EnvironmentVariable), DefaultSearchRoots(), probe: true);

    /// <summary>The search with every input explicit (tests drive it without touching the process environment).</summary>
    internal static OnnxRuntimeLibrary Load(string? explicitPath, string? environmentValue, IEnumerable<string> searchRoots, bool probe)
    {
        lock (LoadLock)
        {
            if (!string.IsNullOrEmpty(explicitPath))
                return FromFile(explicitPath, "the path given in the options");
            if (!string.IsNullOrEmpty(environmentValue))
                return FromFile(environmentValue, $"the {EnvironmentVariable} environment variable");
            if (probe)
                foreach (var name in new[] { "onnxruntime", "libonnxruntime.so.1" })
                {
                    if (Loaded.TryGetValue("probe:" + name, out var cached)) return cached;
                    if (NativeLibrary.TryLoad(name, typeof(OnnxRuntimeLibrary).Assembly, null, out var h))
                        return Loaded[("probe:" + name)] = Create($"native probing: {name}", h);
                }
            var tried = new List<string>();
            foreach (var root in searchRoots)
                for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
                {
                    var candidate = Path.Combine(dir.FullName, ".native", "onnxruntime", "libonnxruntime.so.1");
                    if (File.Exists(candidate)) return FromFile(candidate, "the .native folder");
                    if (tried.Count < 12) tried.Add(candidate);
                }
            throw new OnnxRuntimeNotFoundException(
                "ONNX Runtime's native library (libonnxruntime.so.1) was not found. Looked at: an explicit path (none given), " +
                $"the {EnvironmentVariable} environment variable (not set), native library probing for 'onnxruntime'{(probe ? "" : " (skipped)")}, " +
                $"and {string.Join(", ", tried)}. To fix: run 'bash scripts/setup.sh' in the repository (it installs the npm package onnxruntime-node " +
                $"with --ignore-scripts and copies its libonnxruntime.so.1 to .native/onnxruntime/), or set {EnvironmentVariable}=/path/to/libonnxruntime.so.1 " +
                "(e.g. from ORT's CPU or GPU release archive), or reference the Microsoft.ML.OnnxRuntime NuGet package so its native assets are probed.");
        }
    }

    private static OnnxRuntimeLibrary FromFile(string path, string source)
    {
        var full = Path.GetFullPath(path);
        if (Loaded.TryGetValue(full, out var cached)) return cached;
        if (!File.Exists(full))
            throw new OnnxRuntimeNotFoundException(
                $"ONNX Runtime library '{full}' (from {source}) does not exist. Point it at libonnxruntime.so.1 (run 'bash scripts/setup.sh' to get one in .native/onnxruntime/, or unpack ORT's release archive and use its lib/libonnxruntime.so.1).");
        if (!NativeLibrary.TryLoad(full, out var handle))
            throw new OnnxRuntimeNotFoundException(
                $"ONNX Runtime library '{full}' (from {source}) exists but cannot be loaded (wrong architecture, a missing dependency such as libstdc++ or CUDA libraries, or not a shared library). Check it with 'ldd {full}'.");
        return Loaded[full] = Create(full, handle);
    }

    private static OnnxRuntimeLibrary Create(string location, nint handle)
    {
        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out var getApiBase))
            throw new OnnxRuntimeNotFoundException($"'{location}' is not ONNX Runtime: it has no OrtGetApiBase export.");
        var apiBase = ((delegate* unmanaged<nint*>)getApiBase)();
        var version = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>)apiBase[1])()) ?? "?";
        var table = ((delegate* unmanaged<uint, nint*>)apiBase[0])(OrtApi.ApiVersion);
        if (table is null)
            throw new OnnxRuntimeNotFoundException($"ONNX Runtime at '{location}' (version {version}) does not offer C API version {OrtApi.ApiVersion}; install ONNX Runtime 1.13 or newer.");
        return new OnnxRuntimeLibrary(location, handle, new OrtApi(table), version);
    }

    private static IEnumerable<string> DefaultSearchRoots() => [AppContext.BaseDirectory, Environment.CurrentDirectory];

    [UnmanagedCallersOnly]
    private static void OnLog(nint param, int severity, nint category, nint logId, nint codeLocation, nint message)
    {
        try
        {
            var level = severity switch { <= 1 => LogLevel.Trace, 2 => LogLevel.Warning, _ => LogLevel.Error };
            Message?.Invoke(level, $"onnxruntime: {Marshal.PtrToStringUTF8(message)}");
        }
        catch
        {
            // A logging callback must never unwind into native code.
        }
    }
}

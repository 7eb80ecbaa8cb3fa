using System.Runtime.InteropServices;
using DlBook.Pipelines.Core;
using I = DlBook.Export.Runtime.OrtApiIndex;

namespace DlBook.Export.Runtime;

/// <summary>
/// An ONNX Runtime inference session over one model: its inputs, outputs and metadata, and
/// <c>Run</c>. Input buffers are pinned and passed to ORT without a copy. Safe to call
/// <c>Run</c> from several threads; dispose to free the native session.
/// </summary>
public sealed unsafe class OnnxSession : IDisposable
{
    private readonly OrtApi _api;
    private readonly OrtHandle _session;
    private readonly nint[] _inputNames;
    private readonly nint[] _outputNames;
    private bool _disposed;

    private OnnxSession(OnnxRuntimeLibrary library, OrtHandle session, string modelName, string provider)
    {
        Library = library;
        _api = library.Api;
        _session = session;
        ModelName = modelName;
        ExecutionProvider = provider;
        nint s = session.DangerousGetHandle();
        Inputs = ReadInfos(s, input: true);
        Outputs = ReadInfos(s, input: false);
        Metadata = _api.ReadMetadata(s, library.Allocator, out var producer, out var graph, out var description, out var version);
        ProducerName = producer;
        GraphName = graph;
        Description = description;
        ModelVersion = version;
        _inputNames = Inputs.Select(i => Marshal.StringToCoTaskMemUTF8(i.Name)).ToArray();
        _outputNames = Outputs.Select(o => Marshal.StringToCoTaskMemUTF8(o.Name)).ToArray();
        _allOutputs = Enumerable.Range(0, Outputs.Count).ToArray();
    }

    private readonly int[] _allOutputs;

    /// <summary>Opens the model file <paramref name="modelPath"/>.</summary>
    /// <exception cref="OnnxModelLoadException">Missing, non-ONNX or truncated file.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">No ONNX Runtime library.</exception>
    /// <exception cref="OnnxRuntimeProviderException">CUDA requested, unavailable, and no fallback allowed.</exception>
    public static OnnxSession Open(string modelPath, OnnxSessionOptions? options = null)
    {
        var full = Path.GetFullPath(modelPath);
        if (!File.Exists(full))
            throw new OnnxModelLoadException(OnnxErrorCode.NoSuchFile, $"ONNX model file '{full}' does not exist. Export one with 'dlbook export' or ctx.Model.ExportToOnnx.");
        return Create(options ?? new OnnxSessionOptions(), full,
            (lib, so) => (lib.Api.CreateSession(lib.Env, full, so, out var e), e));
    }

    /// <summary>Creates a session from the bytes of an ONNX model.</summary>
    public static OnnxSession FromBytes(byte[] model, OnnxSessionOptions? options = null, string name = "<in-memory model>") =>
        Create(options ?? new OnnxSessionOptions(), name, (lib, so) => (lib.Api.CreateSessionFromArray(lib.Env, model, so, out var e), e));

    private static OnnxSession Create(OnnxSessionOptions options, string name,
        Func<OnnxRuntimeLibrary, nint, (nint Session, (OnnxErrorCode Code, string Message)? Error)> create)
    {
        var lib = OnnxRuntimeLibrary.Load(options.LibraryPath);
        bool wantCuda = options.GpuDeviceId is not null;
        using var so = NewOptions(lib, options, wantCuda, out bool cuda);
        var (session, error) = create(lib, so.DangerousGetHandle());
        if (error is not null && cuda && options.FallbackToCpu)
        {
            // The GPU build accepted the provider but could not start it (no device, driver mismatch): retry on CPU.
            options.Log?.Invoke(LogLevel.Warning, $"CUDA execution provider failed to start for '{name}' ([{error.Value.Code}] {error.Value.Message}); running on CPU.");
            using var cpu = NewOptions(lib, options, false, out _);
            (session, error) = create(lib, cpu.DangerousGetHandle());
            cuda = false;
        }
        if (error is { } e)
            throw new OnnxModelLoadException(e.Code, $"Cannot load ONNX model '{name}': [{e.Code}] {e.Message}{Hint(e.Code)}");
        return new OnnxSession(lib, new OrtHandle(lib.Api, I.ReleaseSession, session), name, cuda ? $"CUDA:{options.GpuDeviceId}" : "CPU");
    }

    private static string Hint(OnnxErrorCode code) => code switch
    {
        OnnxErrorCode.InvalidProtobuf => " — the file is not an ONNX model, or it is truncated or damaged; re-export it (dlbook export).",
        OnnxErrorCode.InvalidGraph => " — the graph is malformed; re-export it with a supported opset (13–21).",
        OnnxErrorCode.NotImplemented => " — this ONNX Runtime lacks an operator or opset the model uses; export with a lower opset or upgrade ONNX Runtime.",
        _ => "",
    };

    private static OrtHandle NewOptions(OnnxRuntimeLibrary lib, OnnxSessionOptions options, bool wantCuda, out bool cuda)
    {
        var api = lib.Api;
        var so = new OrtHandle(api, I.ReleaseSessionOptions, api.CreateSessionOptions());
        try
        {
            nint h = so.DangerousGetHandle();
            api.SetSessionLogSeverityLevel(h, 2);
            api.SetGraphOptimizationLevel(h, (int)options.GraphOptimization);
            if (options.IntraOpThreads > 0) api.SetIntraOpNumThreads(h, options.IntraOpThreads);
            if (options.InterOpThreads > 0) api.SetInterOpNumThreads(h, options.InterOpThreads);
            if (options.AllowSpinning is bool spin) api.AddSessionConfigEntry(h, "session.intra_op.allow_spinning", spin ? "1" : "0");
            cuda = false;
            if (wantCuda)
            {
                var failure = api.TryAppendCuda(h, options.GpuDeviceId!.Value);
                if (failure is null) cuda = true;
                else
                {
                    var providers = string.Join(", ", api.AvailableProviders());
                    var why = $"the CUDA execution provider cannot be used with the ONNX Runtime at '{lib.Location}' (version {lib.Version}, providers: {providers}): [{failure.Value.Code}] {failure.Value.Message}";
                    if (!options.FallbackToCpu)
                        throw new OnnxRuntimeProviderException(failure.Value.Code,
                            $"GPU device {options.GpuDeviceId} was requested but {why}. Use ORT's GPU build: unpack onnxruntime-linux-x64-gpu-<version>.tgz from ONNX Runtime's GitHub releases " +
                            $"(it holds libonnxruntime.so.1 and libonnxruntime_providers_cuda.so; CUDA 12 and cuDNN 9 must be installed) and set {OnnxRuntimeLibrary.EnvironmentVariable}=<dir>/lib/libonnxruntime.so.1 " +
                            "(or pass LibraryPath), or pass fallbackToCpu: true to run on CPU.");
                    options.Log?.Invoke(LogLevel.Warning, $"GPU device {options.GpuDeviceId} was requested but {why}; falling back to CPU.");
                }
            }
            return so;
        }
        catch
        {
            so.Dispose();
            throw;
        }
    }

    private IReadOnlyList<OnnxValueInfo> ReadInfos(nint s, bool input)
    {
        int n = input ? _api.InputCount(s) : _api.OutputCount(s);
        var list = new OnnxValueInfo[n];
        for (int i = 0; i < n; i++)
        {
            var name = _api.InputOrOutputName(s, i, input, Library.Allocator);
            var (type, dims, symbolic, _) = _api.InputOrOutputType(s, i, input);
            list[i] = new OnnxValueInfo(name, type, dims, symbolic);
        }
        return list;
    }

    /// <summary>The library running this session.</summary>
    public OnnxRuntimeLibrary Library { get; }

    /// <summary>The model file (or the name given for an in-memory model), used in messages.</summary>
    public string ModelName { get; }

    /// <summary>"CPU" or "CUDA:&lt;device&gt;".</summary>
    public string ExecutionProvider { get; }

    /// <summary>The graph inputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>The graph outputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>The model's custom metadata (metadata_props).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>producer_name of the model.</summary>
    public string ProducerName { get; }

    /// <summary>The graph's name.</summary>
    public string GraphName { get; }

    /// <summary>The model's doc_string.</summary>
    public string Description { get; }

    /// <summary>model_version.</summary>
    public long ModelVersion { get; }

    // For the per-Run overhead benchmark, which calls ORT's Run directly beside this binding's Run.
    internal OrtApi Api => _api;
    internal nint NativeHandle => _session.DangerousGetHandle();
    internal nint InputNamePointer(int index) => _inputNames[index];
    internal nint OutputNamePointer(int index) => _outputNames[index];

    /// <summary>The input named <paramref name="name"/>, or null.</summary>
    public OnnxValueInfo? Input(string name) => Inputs.FirstOrDefault(i => i.Name == name);

    /// <summary>The output named <paramref name="name"/>, or null.</summary>
    public OnnxValueInfo? Output(string name) => Outputs.FirstOrDefault(o => o.Name == name);

    /// <summary>Runs the model on one float32 input and returns every output (convenience for single-input models).</summary>
    public IReadOnlyList<OnnxTensor> Run(string inputName, float[] data, params long[] shape) =>
        Run([OnnxTensor.Float(inputName, data, shape)]);

    /// <summary>
    /// Runs the model. Every model input must be given once, with the model's element type and a shape
    /// matching its fixed dimensions. Returns the requested outputs (all when <paramref name="outputNames"/> is null), in that order.
    /// </summary>
    /// <exception cref="OnnxInputException">An input is unknown, missing, or has the wrong type or shape.</exception>
    /// <exception cref="OnnxRuntimeException">ORT failed while running.</exception>
    public IReadOnlyList<OnnxTensor> Run(IReadOnlyList<OnnxTensor> inputs, IReadOnlyList<string>? outputNames = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int n = inputs.Count;
        var inputIndex = new int[n];
        for (int k = 0; k < n; k++) inputIndex[k] = Validate(inputs[k], inputs, k);
        if (n != Inputs.Count)
        {
            var missing = Inputs.Where(i => !inputs.Any(t => t.Name == i.Name)).Select(i => $"'{i.Name}' {i.Describe()}");
            throw new OnnxInputException($"Model '{ModelName}' needs input(s) {string.Join(", ", missing)}, which were not given.");
        }
        int[] outputIndex;
        if (outputNames is null) outputIndex = _allOutputs;
        else
        {
            outputIndex = new int[outputNames.Count];
            for (int k = 0; k < outputIndex.Length; k++)
            {
                outputIndex[k] = IndexOf(Outputs, outputNames[k]);
                if (outputIndex[k] < 0)
                    throw new OnnxInputException($"Model '{ModelName}' has no output '{outputNames[k]}'. Its outputs: {string.Join(", ", Outputs.Select(o => $"{o.Name} {o.Describe()}"))}.");
            }
        }
        int m = outputIndex.Length;

        var pins = new GCHandle[n];
        int rankSum = 0;
        for (int k = 0; k < n; k++) rankSum += inputs[k].Shape.Length;
        long* shapes = stackalloc long[rankSum];
        nint* names = stackalloc nint[n];
        nint* values = stackalloc nint[n];
        nint* outNames = stackalloc nint[m];
        nint* outValues = stackalloc nint[m];
        for (int k = 0; k < n; k++) values[k] = 0;
        for (int k = 0; k < m; k++) { outValues[k] = 0; outNames[k] = _outputNames[outputIndex[k]]; }
        bool added = false;
        try
        {
            _session.DangerousAddRef(ref added);
            long* shape = shapes;
            for (int k = 0; k < n; k++)
            {
                var t = inputs[k];
                names[k] = _inputNames[inputIndex[k]];
                pins[k] = GCHandle.Alloc(t.Data, GCHandleType.Pinned);
                for (int d = 0; d < t.Shape.Length; d++) shape[d] = t.Shape[d];
                long bytes = t.Length * (t.ElementType == OnnxElementType.Float ? 4 : 8);
                values[k] = _api.CreateTensorWithData(Library.CpuMemory, (void*)pins[k].AddrOfPinnedObject(), bytes,
                    shape, t.Shape.Length, t.ElementType, out var status);
                shape += t.Shape.Length;
                _api.Check(status, $"Creating input tensor '{t.Name}' for model '{ModelName}'");
            }
            _api.Check(_api.Run(_session.DangerousGetHandle(), names, values, n, outNames, outValues, m), $"Running model '{ModelName}'");
            var result = new OnnxTensor[m];
            for (int k = 0; k < m; k++) result[k] = ReadOutput(Outputs[outputIndex[k]].Name, outValues[k]);
            return result;
        }
        finally
        {
            for (int k = 0; k < n; k++) _api.Release(I.ReleaseValue, values[k]);
            for (int k = 0; k < m; k++) _api.Release(I.ReleaseValue, outValues[k]);
            foreach (var p in pins) if (p.IsAllocated) p.Free();
            if (added) _session.DangerousRelease();
        }
    }

    private int Validate(OnnxTensor t, IReadOnlyList<OnnxTensor> all, int k)
    {
        int index = IndexOf(Inputs, t.Name);
        if (index < 0)
            throw new OnnxInputException($"'{t.Name}' is not an input of model '{ModelName}'. Its inputs: {string.Join(", ", Inputs.Select(i => $"{i.Name} {i.Describe()}"))}.");
        for (int j = 0; j < k; j++)
            if (all[j].Name == t.Name) throw new OnnxInputException($"Input '{t.Name}' of model '{ModelName}' was given twice.");
        var info = Inputs[index];
        bool ok = info.ElementType == t.ElementType && info.Dimensions.Length == t.Shape.Length;
        for (int d = 0; ok && d < t.Shape.Length; d++) ok = info.Dimensions[d] < 0 || info.Dimensions[d] == t.Shape[d];
        if (!ok)
            throw new OnnxInputException($"Input '{t.Name}' of model '{ModelName}' expects {info.Describe()}, got {OnnxValueInfo.TypeName(t.ElementType)}[{string.Join(",", t.Shape)}].");
        return index;
    }

    private static int IndexOf(IReadOnlyList<OnnxValueInfo> list, string name)
    {
        for (int i = 0; i < list.Count; i++) if (list[i].Name == name) return i;
        return -1;
    }

    private OnnxTensor ReadOutput(string name, nint value)
    {
        var (type, dims, data) = _api.TensorOf(value);
        long count = 1;
        foreach (var d in dims) count *= d;
        int len = checked((int)count);
        switch (type)
        {
            case OnnxElementType.Float:
                var f = new float[len];
                new ReadOnlySpan<float>((void*)data, len).CopyTo(f);
                return OnnxTensor.Float(name, f, dims);
            case OnnxElementType.Int64:
                var l = new long[len];
                new ReadOnlySpan<long>((void*)data, len).CopyTo(l);
                return OnnxTensor.Int64(name, l, dims);
            case OnnxElementType.Int32:
                var i32 = new ReadOnlySpan<int>((void*)data, len);
                var li = new long[len];
                for (int i = 0; i < len; i++) li[i] = i32[i];
                return OnnxTensor.Int64(name, li, dims);
            case OnnxElementType.Bool:
                var b = new ReadOnlySpan<byte>((void*)data, len);
                var lb = new long[len];
                for (int i = 0; i < len; i++) lb[i] = b[i] != 0 ? 1 : 0;
                return OnnxTensor.Int64(name, lb, dims);
            case OnnxElementType.Double:
                var d64 = new ReadOnlySpan<double>((void*)data, len);
                var fd = new float[len];
                for (int i = 0; i < len; i++) fd[i] = (float)d64[i];
                return OnnxTensor.Float(name, fd, dims);
            default:
                throw new OnnxRuntimeException(OnnxErrorCode.NotImplemented, $"Output '{name}' of model '{ModelName}' is {OnnxValueInfo.TypeName(type)}; this binding reads float32, float64, int32, int64 and bool outputs.");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _session.Dispose();
        foreach (var p in _inputNames) Marshal.FreeCoTaskMem(p);
        foreach (var p in _outputNames) Marshal.FreeCoTaskMem(p);
    }
}

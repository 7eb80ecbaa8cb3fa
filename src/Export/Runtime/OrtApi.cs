using System.Runtime.InteropServices;
using I = DlBook.Export.Runtime.OrtApiIndex;

namespace DlBook.Export.Runtime;

/// <summary>
/// The <c>OrtApi</c> function table of a loaded ONNX Runtime, called through unmanaged function
/// pointers. Every call returning an OrtStatus goes through <see cref="Check"/>, which turns a failure
/// into an <see cref="OnnxRuntimeException"/> carrying ORT's code and message.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>The C API version requested; every function we use exists from this version on.</summary>
    public const uint ApiVersion = 13;

    private readonly nint* _t;

    public OrtApi(nint* table) => _t = table;

    private nint F(int index) => _t[index];

    /// <summary>Throws when <paramref name="status"/> is not null (success), releasing it.</summary>
    public void Check(nint status, string doing)
    {
        if (status == 0) return;
        var (code, message) = ReadStatus(status);
        throw new OnnxRuntimeException(code, $"{doing}: [{code}] {message}");
    }

    /// <summary>Reads and releases a non-null status.</summary>
    public (OnnxErrorCode Code, string Message) ReadStatus(nint status)
    {
        var code = (OnnxErrorCode)((delegate* unmanaged<nint, int>)F(I.GetErrorCode))(status);
        var message = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint, nint>)F(I.GetErrorMessage))(status)) ?? "";
        ((delegate* unmanaged<nint, void>)F(I.ReleaseStatus))(status);
        return (code, message);
    }

    public nint CreateStatus(int code, string message)
    {
        var m = Marshal.StringToCoTaskMemUTF8(message);
        try { return ((delegate* unmanaged<int, nint, nint>)F(I.CreateStatus))(code, m); }
        finally { Marshal.FreeCoTaskMem(m); }
    }

    public nint CreateEnvWithCustomLogger(delegate* unmanaged<nint, int, nint, nint, nint, nint, void> logger, int level, string logId)
    {
        var id = Marshal.StringToCoTaskMemUTF8(logId);
        try
        {
            nint env;
            Check(((delegate* unmanaged<delegate* unmanaged<nint, int, nint, nint, nint, nint, void>, nint, int, nint, nint*, nint>)F(I.CreateEnvWithCustomLogger))(logger, 0, level, id, &env), "Creating the ONNX Runtime environment");
            return env;
        }
        finally { Marshal.FreeCoTaskMem(id); }
    }

    public nint CreateSessionOptions()
    {
        nint o;
        Check(((delegate* unmanaged<nint*, nint>)F(I.CreateSessionOptions))(&o), "Creating session options");
        return o;
    }

    public void SetSessionLogSeverityLevel(nint o, int level) =>
        Check(((delegate* unmanaged<nint, int, nint>)F(I.SetSessionLogSeverityLevel))(o, level), "Setting the session log level");

    public void SetGraphOptimizationLevel(nint o, int level) =>
        Check(((delegate* unmanaged<nint, int, nint>)F(I.SetSessionGraphOptimizationLevel))(o, level), "Setting the graph optimisation level");

    public void SetIntraOpNumThreads(nint o, int n) =>
        Check(((delegate* unmanaged<nint, int, nint>)F(I.SetIntraOpNumThreads))(o, n), "Setting intra-op threads");

    public void AddSessionConfigEntry(nint o, string key, string value)
    {
        nint k = Marshal.StringToCoTaskMemUTF8(key), v = Marshal.StringToCoTaskMemUTF8(value);
        try
        {
            Check(((delegate* unmanaged<nint, nint, nint, nint>)F(I.AddSessionConfigEntry))(o, k, v), $"Setting session option '{key}'");
        }
        finally
        {
            Marshal.FreeCoTaskMem(k);
            Marshal.FreeCoTaskMem(v);
        }
    }

    public void SetInterOpNumThreads(nint o, int n) =>
        Check(((delegate* unmanaged<nint, int, nint>)F(I.SetInterOpNumThreads))(o, n), "Setting inter-op threads");

    /// <summary>Creates CUDA provider options for <paramref name="deviceId"/> and appends the CUDA execution provider; returns ORT's failure instead of throwing.</summary>
    public (OnnxErrorCode Code, string Message)? TryAppendCuda(nint options, int deviceId)
    {
        nint cuda = 0;
        nint status = ((delegate* unmanaged<nint*, nint>)F(I.CreateCUDAProviderOptions))(&cuda);
        if (status != 0) return ReadStatus(status);
        var key = Marshal.StringToCoTaskMemUTF8("device_id");
        var value = Marshal.StringToCoTaskMemUTF8(deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            status = ((delegate* unmanaged<nint, nint*, nint*, nuint, nint>)F(I.UpdateCUDAProviderOptions))(cuda, &key, &value, 1);
            if (status != 0) return ReadStatus(status);
            status = ((delegate* unmanaged<nint, nint, nint>)F(I.SessionOptionsAppendExecutionProvider_CUDA_V2))(options, cuda);
            return status != 0 ? ReadStatus(status) : null;
        }
        finally
        {
            Marshal.FreeCoTaskMem(key);
            Marshal.FreeCoTaskMem(value);
            ((delegate* unmanaged<nint, void>)F(I.ReleaseCUDAProviderOptions))(cuda);
        }
    }

    public nint CreateSession(nint env, string path, nint options, out (OnnxErrorCode, string)? error)
    {
        var p = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            nint s;
            var status = ((delegate* unmanaged<nint, nint, nint, nint*, nint>)F(I.CreateSession))(env, p, options, &s);
            error = status != 0 ? ReadStatus(status) : null;
            return status != 0 ? 0 : s;
        }
        finally { Marshal.FreeCoTaskMem(p); }
    }

    public nint CreateSessionFromArray(nint env, byte[] model, nint options, out (OnnxErrorCode, string)? error)
    {
        fixed (byte* m = model)
        {
            nint s;
            var status = ((delegate* unmanaged<nint, byte*, nuint, nint, nint*, nint>)F(I.CreateSessionFromArray))(env, m, (nuint)model.Length, options, &s);
            error = status != 0 ? ReadStatus(status) : null;
            return status != 0 ? 0 : s;
        }
    }

    public nint Run(nint session, nint* inputNames, nint* inputs, int inputCount, nint* outputNames, nint* outputs, int outputCount) =>
        ((delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)F(I.Run))(
            session, 0, inputNames, inputs, (nuint)inputCount, outputNames, (nuint)outputCount, outputs);

    public int InputCount(nint session)
    {
        nuint n;
        Check(((delegate* unmanaged<nint, nuint*, nint>)F(I.SessionGetInputCount))(session, &n), "Counting inputs");
        return (int)n;
    }

    public int OutputCount(nint session)
    {
        nuint n;
        Check(((delegate* unmanaged<nint, nuint*, nint>)F(I.SessionGetOutputCount))(session, &n), "Counting outputs");
        return (int)n;
    }

    public string InputOrOutputName(nint session, int index, bool input, nint allocator)
    {
        nint name;
        Check(((delegate* unmanaged<nint, nuint, nint, nint*, nint>)F(input ? I.SessionGetInputName : I.SessionGetOutputName))(session, (nuint)index, allocator, &name), "Reading an input/output name");
        return TakeString(allocator, name)!;
    }

    /// <summary>Element type and shape of input/output <paramref name="index"/>.</summary>
    public (OnnxElementType Type, long[] Dims, string[] Symbolic, bool IsTensor) InputOrOutputType(nint session, int index, bool input)
    {
        nint typeInfo;
        Check(((delegate* unmanaged<nint, nuint, nint*, nint>)F(input ? I.SessionGetInputTypeInfo : I.SessionGetOutputTypeInfo))(session, (nuint)index, &typeInfo), "Reading an input/output type");
        try
        {
            int onnxType;
            Check(((delegate* unmanaged<nint, int*, nint>)F(I.GetOnnxTypeFromTypeInfo))(typeInfo, &onnxType), "Reading an ONNX type");
            if (onnxType != 1) return (OnnxElementType.Undefined, [], [], false);
            nint tensorInfo;
            Check(((delegate* unmanaged<nint, nint*, nint>)F(I.CastTypeInfoToTensorInfo))(typeInfo, &tensorInfo), "Reading a tensor type");
            var (type, dims) = TypeAndShape(tensorInfo);
            var names = new nint[dims.Length];
            fixed (nint* pn = names)
                Check(((delegate* unmanaged<nint, nint*, nuint, nint>)F(I.GetSymbolicDimensions))(tensorInfo, pn, (nuint)dims.Length), "Reading symbolic dimensions");
            return (type, dims, names.Select(n => n == 0 ? "" : Marshal.PtrToStringUTF8(n) ?? "").ToArray(), true);
        }
        finally { ((delegate* unmanaged<nint, void>)F(I.ReleaseTypeInfo))(typeInfo); }
    }

    private (OnnxElementType, long[]) TypeAndShape(nint tensorInfo)
    {
        int type;
        nuint count;
        Check(((delegate* unmanaged<nint, int*, nint>)F(I.GetTensorElementType))(tensorInfo, &type), "Reading an element type");
        Check(((delegate* unmanaged<nint, nuint*, nint>)F(I.GetDimensionsCount))(tensorInfo, &count), "Reading a rank");
        var dims = new long[(int)count];
        fixed (long* pd = dims)
            Check(((delegate* unmanaged<nint, long*, nuint, nint>)F(I.GetDimensions))(tensorInfo, pd, count), "Reading dimensions");
        return ((OnnxElementType)type, dims);
    }

    /// <summary>Element type, shape and data pointer of a tensor value returned by Run.</summary>
    public (OnnxElementType Type, long[] Dims, nint Data) TensorOf(nint value)
    {
        nint info;
        Check(((delegate* unmanaged<nint, nint*, nint>)F(I.GetTensorTypeAndShape))(value, &info), "Reading an output's shape");
        (OnnxElementType, long[]) ts;
        try { ts = TypeAndShape(info); }
        finally { ((delegate* unmanaged<nint, void>)F(I.ReleaseTensorTypeAndShapeInfo))(info); }
        nint data;
        Check(((delegate* unmanaged<nint, nint*, nint>)F(I.GetTensorMutableData))(value, &data), "Reading an output's data");
        return (ts.Item1, ts.Item2, data);
    }

    public nint CreateTensorWithData(nint memoryInfo, void* data, long bytes, long* shape, int rank, OnnxElementType type, out nint status)
    {
        nint value;
        status = ((delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)F(I.CreateTensorWithDataAsOrtValue))(
            memoryInfo, data, (nuint)bytes, shape, (nuint)rank, (int)type, &value);
        return status == 0 ? value : 0;
    }

    public nint CreateCpuMemoryInfo()
    {
        nint info;
        // OrtDeviceAllocator (0), OrtMemTypeDefault (0): plain CPU memory owned by the caller.
        Check(((delegate* unmanaged<int, int, nint*, nint>)F(I.CreateCpuMemoryInfo))(0, 0, &info), "Creating CPU memory info");
        return info;
    }

    public nint DefaultAllocator()
    {
        nint a;
        Check(((delegate* unmanaged<nint*, nint>)F(I.GetAllocatorWithDefaultOptions))(&a), "Getting the default allocator");
        return a;
    }

    /// <summary>Copies a UTF-8 string allocated by <paramref name="allocator"/> and frees it.</summary>
    public string? TakeString(nint allocator, nint s)
    {
        if (s == 0) return null;
        var result = Marshal.PtrToStringUTF8(s);
        Check(((delegate* unmanaged<nint, nint, nint>)F(I.AllocatorFree))(allocator, s), "Freeing a string");
        return result;
    }

    public void Release(int index, nint handle)
    {
        if (handle != 0) ((delegate* unmanaged<nint, void>)F(index))(handle);
    }

    public Dictionary<string, string> ReadMetadata(nint session, nint allocator, out string producer, out string graphName, out string description, out long version)
    {
        nint mdOut;
        Check(((delegate* unmanaged<nint, nint*, nint>)F(I.SessionGetModelMetadata))(session, &mdOut), "Reading model metadata");
        nint md = mdOut;
        try
        {
            string Get(int index)
            {
                nint s;
                Check(((delegate* unmanaged<nint, nint, nint*, nint>)F(index))(md, allocator, &s), "Reading model metadata");
                return TakeString(allocator, s) ?? "";
            }
            producer = Get(I.ModelMetadataGetProducerName);
            graphName = Get(I.ModelMetadataGetGraphName);
            description = Get(I.ModelMetadataGetDescription);
            long v;
            Check(((delegate* unmanaged<nint, long*, nint>)F(I.ModelMetadataGetVersion))(md, &v), "Reading the model version");
            version = v;

            nint keys;
            long count;
            Check(((delegate* unmanaged<nint, nint, nint*, long*, nint>)F(I.ModelMetadataGetCustomMetadataMapKeys))(md, allocator, &keys, &count), "Reading metadata keys");
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            if (keys == 0) return map;
            try
            {
                for (long i = 0; i < count; i++)
                {
                    var keyPtr = ((nint*)keys)[i];
                    var key = TakeString(allocator, keyPtr)!;
                    var k = Marshal.StringToCoTaskMemUTF8(key);
                    try
                    {
                        nint value;
                        Check(((delegate* unmanaged<nint, nint, nint, nint*, nint>)F(I.ModelMetadataLookupCustomMetadataMap))(md, allocator, k, &value), $"Reading metadata '{key}'");
                        map[key] = TakeString(allocator, value) ?? "";
                    }
                    finally { Marshal.FreeCoTaskMem(k); }
                }
            }
            finally { Check(((delegate* unmanaged<nint, nint, nint>)F(I.AllocatorFree))(allocator, keys), "Freeing metadata keys"); }
            return map;
        }
        finally { Release(I.ReleaseModelMetadata, md); }
    }

    public string[] AvailableProviders()
    {
        nint list;
        int n;
        Check(((delegate* unmanaged<nint*, int*, nint>)F(I.GetAvailableProviders))(&list, &n), "Listing execution providers");
        var result = new string[n];
        for (int i = 0; i < n; i++) result[i] = Marshal.PtrToStringUTF8(((nint*)list)[i]) ?? "";
        Check(((delegate* unmanaged<nint, int, nint>)F(I.ReleaseAvailableProviders))(list, n), "Releasing the provider list");
        return result;
    }
}

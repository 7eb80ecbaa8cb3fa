using Microsoft.ML.OnnxRuntime;

namespace DlBook.Export.Runtime;

/// <summary>
/// An ONNX model loaded in ONNX Runtime through the official binding (Microsoft.ML.OnnxRuntime.Managed), with typed
/// errors: a missing or broken file is an <see cref="OnnxModelLoadException"/> naming it, a CUDA provider that cannot
/// be used an <see cref="OnnxRuntimeProviderException"/> saying what to install (or a CPU fallback with a warning),
/// and a missing native library an <see cref="OnnxRuntimeNotFoundException"/>. <see cref="Runner"/> gives the
/// allocation-free batch path the scorer uses; <see cref="Session"/> is the binding's own session for anything else.
/// </summary>
public sealed class OnnxSession : IDisposable
{
    /// <summary>What an app needs for CUDA, said by every GPU error.</summary>
    public const string CudaRequirements =
        "To run on an NVIDIA GPU, reference the NuGet package Microsoft.ML.OnnxRuntime.Gpu.Linux 1.32.0 instead of Microsoft.ML.OnnxRuntime " +
        "(never both in one app: the CPU library would shadow the GPU one) and install CUDA 13 (libcudart.so.13, libcublas.so.13), cuDNN 9 and an NVIDIA driver; " +
        "or allow the CPU fallback.";

    private OnnxSession(InferenceSession session, string name, string provider)
    {
        Session = session;
        ModelName = name;
        ExecutionProvider = provider;
        Inputs = session.InputMetadata.Select(kv => Info(kv.Key, kv.Value)).ToArray();
        Outputs = session.OutputMetadata.Select(kv => Info(kv.Key, kv.Value)).ToArray();
        var meta = session.ModelMetadata;
        Metadata = meta.CustomMetadataMap.ToDictionary(kv => kv.Key, kv => kv.Value);
        ProducerName = meta.ProducerName;
        GraphName = meta.GraphName;
        Description = meta.Description;
        ModelVersion = meta.Version;
    }

    /// <summary>Loads <paramref name="modelPath"/>.</summary>
    /// <exception cref="OnnxModelLoadException">The file is missing, not ONNX, truncated or uses operators this runtime lacks.</exception>
    /// <exception cref="OnnxRuntimeProviderException">CUDA was asked for, cannot be used, and <see cref="OnnxSessionOptions.FallbackToCpu"/> is false.</exception>
    /// <exception cref="OnnxRuntimeNotFoundException">ONNX Runtime's native library cannot be loaded.</exception>
    public static OnnxSession Open(string modelPath, OnnxSessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var full = Path.GetFullPath(modelPath);
        if (!File.Exists(full))
            throw new OnnxModelLoadException(OnnxErrorCode.NoSuchFile, $"ONNX model '{modelPath}' does not exist. Export one with `dlbook export` or mlContext.Model.ExportToOnnx.");
        return Create(o => new InferenceSession(full, o), modelPath, options ?? new OnnxSessionOptions());
    }

    /// <summary>Loads a model from its bytes; <paramref name="name"/> names it in messages.</summary>
    public static OnnxSession FromBytes(byte[] model, OnnxSessionOptions? options = null, string name = "<in-memory model>")
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(o => new InferenceSession(model, o), name, options ?? new OnnxSessionOptions());
    }

    private static OnnxSession Create(Func<SessionOptions, InferenceSession> open, string name, OnnxSessionOptions options)
    {
        SessionOptions? so = null;
        try
        {
            so = NewOptions(options);
            string provider = "CPU";
            if (options.GpuDeviceId is int device)
            {
                try
                {
                    so.AppendExecutionProvider_CUDA(device);
                    provider = $"CUDA:{device}";
                }
                catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
                {
                    if (!options.FallbackToCpu)
                        throw new OnnxRuntimeProviderException(OnnxErrorCode.EpFail,
                            $"CUDA device {device} cannot be used by this ONNX Runtime ({e.Message.Trim()}). {CudaRequirements}");
                    options.Log?.Invoke($"CUDA device {device} cannot be used ({FirstLine(e.Message)}); running '{name}' on CPU. {CudaRequirements}");
                    so.Dispose();
                    so = NewOptions(options);
                }
            }
            return new OnnxSession(open(so), name, provider);
        }
        catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException e)
        {
            throw new OnnxModelLoadException(OnnxErrorCode.InvalidProtobuf,
                $"ONNX model '{name}' cannot be loaded: {FirstLine(e.Message)}. Pass a complete .onnx file (re-export it with `dlbook export`).");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            throw new OnnxRuntimeNotFoundException(
                $"ONNX Runtime's native library could not be loaded ({FirstLine(e.InnerException?.Message ?? e.Message)}). " +
                "Reference the NuGet package Microsoft.ML.OnnxRuntime 1.32.0 (CPU) or Microsoft.ML.OnnxRuntime.Gpu.Linux 1.32.0 (CUDA) in the app, so that libonnxruntime.so is copied beside it.");
        }
        finally
        {
            so?.Dispose();
        }
    }

    private static SessionOptions NewOptions(OnnxSessionOptions o)
    {
        var so = new SessionOptions
        {
            IntraOpNumThreads = o.IntraOpThreads,
            InterOpNumThreads = o.InterOpThreads,
            GraphOptimizationLevel = o.GraphOptimization switch
            {
                OnnxGraphOptimizationLevel.DisableAll => GraphOptimizationLevel.ORT_DISABLE_ALL,
                OnnxGraphOptimizationLevel.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                OnnxGraphOptimizationLevel.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
        };
        if (o.AllowSpinning is bool spin)
        {
            so.AddSessionConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
            so.AddSessionConfigEntry("session.inter_op.allow_spinning", spin ? "1" : "0");
        }
        return so;
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();

    private static OnnxValueInfo Info(string name, NodeMetadata m)
    {
        var type = m.IsTensor ? (OnnxElementType)(int)m.ElementDataType : OnnxElementType.Undefined;
        return new OnnxValueInfo(name, type, m.Dimensions.Select(d => (long)d).ToArray(), m.SymbolicDimensions ?? new string[m.Dimensions.Length]);
    }

    /// <summary>The binding's session.</summary>
    public InferenceSession Session { get; }
    /// <summary>The file (or name) the model came from.</summary>
    public string ModelName { get; }
    /// <summary>"CPU" or "CUDA:&lt;device&gt;".</summary>
    public string ExecutionProvider { get; }
    /// <summary>The model's inputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }
    /// <summary>The model's outputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }
    /// <summary>The model's metadata_props.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
    /// <summary>producer_name.</summary>
    public string ProducerName { get; }
    /// <summary>The graph's name.</summary>
    public string GraphName { get; }
    /// <summary>doc_string.</summary>
    public string Description { get; }
    /// <summary>model_version.</summary>
    public long ModelVersion { get; }

    /// <summary>The input called <paramref name="name"/>, or null.</summary>
    public OnnxValueInfo? Input(string name) => Inputs.FirstOrDefault(i => i.Name == name);
    /// <summary>The output called <paramref name="name"/>, or null.</summary>
    public OnnxValueInfo? Output(string name) => Outputs.FirstOrDefault(o => o.Name == name);

    /// <summary>
    /// A runner for batches of up to <paramref name="batchSize"/> rows of the float input <paramref name="inputName"/>
    /// (the only input when null), writing the float outputs <paramref name="outputNames"/> into buffers it owns.
    /// </summary>
    public OnnxBatchRunner Runner(int batchSize, string? inputName = null, IReadOnlyList<string>? outputNames = null) =>
        new(this, batchSize, inputName, outputNames);

    /// <summary>Runs one float input of <paramref name="rows"/> rows (allocating; for tests and one-off calls) and returns the float outputs.</summary>
    public IReadOnlyDictionary<string, float[]> Run(string inputName, float[] data, int rows)
    {
        using var runner = Runner(rows, inputName);
        runner.Run(data, rows);
        return runner.OutputNames.ToDictionary(n => n, n => runner.Output(n).ToArray());
    }

    /// <summary>
    /// True when this process's ONNX Runtime can run on CUDA device <paramref name="deviceId"/> (the GPU package, CUDA 13
    /// and cuDNN 9 present); <paramref name="reason"/> says why not.
    /// </summary>
    public static bool CudaAvailable(int deviceId, out string reason)
    {
        try
        {
            using var so = new SessionOptions();
            so.AppendExecutionProvider_CUDA(deviceId);
            reason = "";
            return true;
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            reason = FirstLine(e.Message);
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Session.Dispose();
}

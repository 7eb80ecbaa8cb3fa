using DlBook.Engine.Activations;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Export.Tests.Support;
using DlBook.Pipelines.Core;

namespace DlBook.Export.Tests.Runtime;

/// <summary>The P/Invoke binding over ORT's C API: loading, metadata, Run, and each documented failure.</summary>
public class BindingTests
{
    private static byte[] DenseSigmoid() => OnnxExporter.ToBytes(MappingParityCase("dense-sigmoid"), null);
    private static FakeNetworkModel MappingParityCase(string n) => Onnx.MappingParityTests.Case(n);

    [Fact]
    public void LoadsTheLibraryAndReportsItsVersionAndCpuProvider()
    {
        var lib = OnnxRuntimeLibrary.Load();
        Assert.Matches(@"^1\.\d+\.\d+", lib.Version);
        Assert.Contains("CPUExecutionProvider", lib.AvailableProviders);
        Assert.Same(lib, OnnxRuntimeLibrary.Load());
    }

    [Fact]
    public void SessionExposesInputsOutputsAndMetadata()
    {
        using var s = OnnxSession.FromBytes(DenseSigmoid());
        var input = Assert.Single(s.Inputs);
        Assert.Equal("Features", input.Name);
        Assert.Equal(OnnxElementType.Float, input.ElementType);
        Assert.Equal(new long[] { -1, 12 }, input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal("float32[batch,12]", input.Describe());
        Assert.Equal(["Score", "PredictedLabel"], s.Outputs.Select(o => o.Name));
        Assert.Equal(OnnxElementType.Int64, s.Outputs[1].ElementType);
        Assert.Equal("DlBook.MLNet", s.ProducerName);
        Assert.Equal("MulticlassClassification", s.Metadata[OnnxMetadataKeys.Task]);
        Assert.Equal("[\"class0\",\"class1\",\"class2\",\"class3\",\"class4\"]", s.Metadata[OnnxMetadataKeys.LabelNames]);
        Assert.Equal("[12]", s.Metadata[OnnxMetadataKeys.InputShape]);
        Assert.Equal("CPU", s.ExecutionProvider);
    }

    [Fact]
    public void DenseSigmoidWithKnownWeightsMatchesANaiveComputation()
    {
        // y = σ(W x + b) with W[i,j] = (i − j)/10, b[i] = 0.1 i: computed by hand here, independently of the exporter.
        var model = Networks.Build(3, Activation.Sigmoid, "MulticlassClassification", Networks.Dense("d", 3, 2));
        var w = new float[] { 0f, -0.1f, -0.2f, 0.1f, 0f, -0.1f };
        model.Set("d", "W", new DlBook.Engine.Tensors.Tensor(w, 2, 3));
        model.Set("d", "b", new DlBook.Engine.Tensors.Tensor(new[] { 0f, 0.1f }, 2));
        using var s = OnnxSession.FromBytes(OnnxExporter.ToBytes(model, null));
        var x = new float[] { 1f, 2f, 3f, -1f, 0.5f, 4f };
        var score = s.Run("Features", x, 2, 3)[0].AsFloats();
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < 2; i++)
            {
                double z = (i == 0 ? 0 : 0.1);
                for (int j = 0; j < 3; j++) z += w[i * 3 + j] * x[r * 3 + j];
                Assert.Equal(1 / (1 + Math.Exp(-z)), score[r * 2 + i], 1e-6);
            }
    }

    [Fact]
    public void WrongInputNameIsATypedErrorNamingTheInputs()
    {
        using var s = OnnxSession.FromBytes(DenseSigmoid(), name: "m.onnx");
        var e = Assert.Throws<OnnxInputException>(() => s.Run("Pixels", new float[12], 1, 12));
        Assert.Contains("'Pixels' is not an input of model 'm.onnx'", e.Message);
        Assert.Contains("Features float32[batch,12]", e.Message);
    }

    [Fact]
    public void WrongInputShapeIsATypedErrorWithTheExpectedShape()
    {
        using var s = OnnxSession.FromBytes(DenseSigmoid(), name: "m.onnx");
        var e = Assert.Throws<OnnxInputException>(() => s.Run("Features", new float[20], 2, 10));
        Assert.Contains("Input 'Features' of model 'm.onnx' expects float32[batch,12], got float32[2,10]", e.Message);
        var rank = Assert.Throws<OnnxInputException>(() => s.Run("Features", new float[12], 12));
        Assert.Contains("expects float32[batch,12]", rank.Message);
        Assert.Throws<OnnxInputException>(() => s.Run([OnnxTensor.Int64("Features", new long[12], 1, 12)]));
    }

    [Fact]
    public void NonOnnxFileIsAModelLoadErrorNamingTheFile()
    {
        using var dir = new TempDir();
        var path = dir.File("notes.onnx");
        File.WriteAllText(path, "this is a text file, not a protobuf model\n");
        var e = Assert.Throws<OnnxModelLoadException>(() => OnnxSession.Open(path));
        Assert.Contains(path, e.Message);
        Assert.NotEqual(OnnxErrorCode.Ok, e.Code);
    }

    [Fact]
    public void TruncatedOnnxFileIsAModelLoadError()
    {
        using var dir = new TempDir();
        var path = dir.File("cut.onnx");
        var bytes = DenseSigmoid();
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        var e = Assert.Throws<OnnxModelLoadException>(() => OnnxSession.Open(path));
        Assert.Contains("cut.onnx", e.Message);
        Assert.Contains("re-export", e.Message);
    }

    [Fact]
    public void MissingModelFileIsAModelLoadError()
    {
        var e = Assert.Throws<OnnxModelLoadException>(() => OnnxSession.Open("/nonexistent/model.onnx"));
        Assert.Equal(OnnxErrorCode.NoSuchFile, e.Code);
        Assert.Contains("/nonexistent/model.onnx", e.Message);
    }

    [Fact]
    public void MissingLibraryPathIsANotFoundErrorSayingWhatToDo()
    {
        var e = Assert.Throws<OnnxRuntimeNotFoundException>(() => OnnxRuntimeLibrary.Load("/nonexistent/libonnxruntime.so.1"));
        Assert.Contains("/nonexistent/libonnxruntime.so.1", e.Message);
        Assert.Contains("scripts/setup.sh", e.Message);
        var viaEnv = Assert.Throws<OnnxRuntimeNotFoundException>(() => OnnxRuntimeLibrary.Load(null, "/nope/libonnxruntime.so.1", [], probe: false));
        Assert.Contains(OnnxRuntimeLibrary.EnvironmentVariable, viaEnv.Message);
        var nothing = Assert.Throws<OnnxRuntimeNotFoundException>(() => OnnxRuntimeLibrary.Load(null, null, ["/"], probe: false));
        Assert.Contains("onnxruntime-node", nothing.Message);
        Assert.Contains(OnnxRuntimeLibrary.EnvironmentVariable + "=", nothing.Message);
    }

    [Fact]
    public void NonLibraryFileIsANotFoundError()
    {
        using var dir = new TempDir();
        var path = dir.File("libonnxruntime.so.1");
        File.WriteAllText(path, "not an ELF file");
        var e = Assert.Throws<OnnxRuntimeNotFoundException>(() => OnnxRuntimeLibrary.Load(path));
        Assert.Contains("cannot be loaded", e.Message);
    }

    [Fact]
    public void CudaWithoutProviderFallsBackToCpuWithAWarning()
    {
        var warnings = new List<string>();
        var options = new OnnxSessionOptions { GpuDeviceId = 0, FallbackToCpu = true, Log = (level, m) => { if (level == LogLevel.Warning) warnings.Add(m); } };
        using var s = OnnxSession.FromBytes(DenseSigmoid(), options);
        Assert.Equal("CPU", s.ExecutionProvider);
        var w = Assert.Single(warnings);
        Assert.Contains("GPU device 0 was requested", w);
        Assert.Contains("falling back to CPU", w);
        var score = s.Run("Features", Networks.Inputs(4, 12), 4, 12)[0].AsFloats();
        Assert.Equal(20, score.Length);
        Assert.All(score, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void CudaWithoutProviderAndNoFallbackIsAProviderError()
    {
        var e = Assert.Throws<OnnxRuntimeProviderException>(() => OnnxSession.FromBytes(DenseSigmoid(), new OnnxSessionOptions { GpuDeviceId = 1 }));
        Assert.Contains("GPU device 1", e.Message);
        Assert.Contains(OnnxRuntimeLibrary.EnvironmentVariable, e.Message);
        Assert.Contains("fallbackToCpu", e.Message);
    }

    [Fact]
    public void SessionOptionsThreadsAndOptimisationLevelsAreAccepted()
    {
        var x = Networks.Inputs(8, 12);
        float[]? first = null;
        foreach (var level in Enum.GetValues<OnnxGraphOptimizationLevel>())
        {
            using var s = OnnxSession.FromBytes(DenseSigmoid(), new OnnxSessionOptions { IntraOpThreads = 1, InterOpThreads = 1, GraphOptimization = level });
            var y = s.Run("Features", x, 8, 12)[0].AsFloats();
            first ??= y;
            for (int i = 0; i < y.Length; i++) Assert.Equal(first[i], y[i], 1e-6f);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SpinningCanBeTurnedOnOrOffThroughTheSessionConfig(bool spin)
    {
        // session.intra_op.allow_spinning goes through AddSessionConfigEntry (OrtApi slot 130): the session must be
        // created and give the default session's outputs. (Its effect, idle cores between runs, is measured in bench/.)
        var x = Networks.Inputs(8, 12);
        using var reference = OnnxSession.FromBytes(DenseSigmoid(), new OnnxSessionOptions { IntraOpThreads = 2 });
        using var s = OnnxSession.FromBytes(DenseSigmoid(), new OnnxSessionOptions { IntraOpThreads = 2, AllowSpinning = spin });
        Assert.Equal(reference.Run("Features", x, 8, 12)[0].AsFloats(), s.Run("Features", x, 8, 12)[0].AsFloats());
    }

    [Fact]
    public void DisposedSessionRefusesToRun()
    {
        var s = OnnxSession.FromBytes(DenseSigmoid());
        s.Dispose();
        Assert.Throws<ObjectDisposedException>(() => s.Run("Features", new float[12], 1, 12));
    }
}

using DlBook.Engine.Activations;
using DlBook.Export.Runtime;
using DlBook.Export.Tests.Support;
using DlBook.Pipelines.Schema;

namespace DlBook.Export.Tests.Runtime;

/// <summary>The official ONNX Runtime binding behind <see cref="OnnxSession"/>: typed errors, the CUDA fallback, metadata, no leak.</summary>
public sealed class SessionTests
{
    private static TestNet Net() => Networks.Build(12, Activation.Softmax, PredictionKind.MulticlassClassification,
        Networks.Dense("d1", 12, 8), Networks.Act("a1", 8, Activation.Relu), Networks.Dense("d2", 8, 3));

    [Fact]
    public void AMissingFileIsAModelLoadErrorNamingIt()
    {
        var e = Assert.Throws<OnnxModelLoadException>(() => OnnxSession.Open("/no/such/model.onnx"));
        Assert.Contains("/no/such/model.onnx", e.Message);
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void GarbageAndTruncatedFilesAreModelLoadErrorsNamingTheFile()
    {
        using var dir = new TempDir();
        var junk = dir.File("junk.onnx");
        File.WriteAllBytes(junk, [0xff, 0x00, 0x13, 0x37, 0x42]);
        Assert.Contains("junk.onnx", Assert.Throws<OnnxModelLoadException>(() => OnnxSession.Open(junk)).Message);
        var cut = dir.File("cut.onnx");
        var bytes = Net().Bytes();
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        Assert.Contains("cut.onnx", Assert.Throws<OnnxModelLoadException>(() => OnnxSession.Open(cut)).Message);
    }

    [Fact]
    public void CudaOnTheCpuPackageIsATypedErrorThatSaysWhatToInstall()
    {
        var e = Assert.Throws<OnnxRuntimeProviderException>(() => OnnxSession.FromBytes(Net().Bytes(), new OnnxSessionOptions { GpuDeviceId = 0 }));
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu.Linux", e.Message);
        Assert.Contains("CUDA 13", e.Message);
        Assert.Contains("cuDNN 9", e.Message);
        Assert.DoesNotContain("CUDA 12", e.Message);
    }

    [Fact]
    public void CudaWithFallbackRunsOnCpuAndWarns()
    {
        var warnings = new List<string>();
        using var s = OnnxSession.FromBytes(Net().Bytes(), new OnnxSessionOptions { GpuDeviceId = 0, FallbackToCpu = true, Log = warnings.Add });
        Assert.Equal("CPU", s.ExecutionProvider);
        Assert.Contains(warnings, w => w.Contains("running") && w.Contains("on CPU"));
        var x = Networks.Inputs(2, 12);
        Assert.Equal(6, s.Run("Features", x, 2)["Score"].Length);
    }

    [Fact]
    public void InputsOutputsAndMetadataAreThoseTheExporterWrote()
    {
        using var s = OnnxSession.FromBytes(Net().Bytes());
        var input = Assert.Single(s.Inputs);
        Assert.Equal("Features", input.Name);
        Assert.Equal("float32[batch,12]", input.Describe());
        Assert.Equal(["Score", "PredictedLabel"], s.Outputs.Select(o => o.Name));
        Assert.Equal(OnnxElementType.Int64, s.Outputs[1].ElementType);
        Assert.Equal("MulticlassClassification", s.Metadata["task"]);
        Assert.Equal("DlBook.MLNet", s.ProducerName);
    }

    [Fact]
    public void AWrongInputNameOrSizeIsAnInputErrorNamingIt()
    {
        using var s = OnnxSession.FromBytes(Net().Bytes());
        Assert.Contains("no input 'Pixels'", Assert.Throws<OnnxInputException>(() => s.Runner(4, "Pixels")).Message);
        using var r = s.Runner(4);
        Assert.Contains("needs 2 × 12 floats", Assert.Throws<OnnxInputException>(() => r.Run(new float[10], 2)).Message);
        Assert.Contains("batch size 4", Assert.Throws<OnnxInputException>(() => r.Run(new float[60], 5)).Message);
    }

    [Fact]
    public void ASymbolicRowDimensionIsAnInputErrorNamingTheModelFile()
    {
        // Found by the fuzzing harness (seed 11, ONNX case 375): the message named the input but not the file.
        var model = DlBook.Export.Onnx.Proto.ModelProto.Parser.ParseFrom(Net().Bytes());
        var dim = model.Graph.Input.Single().Type.TensorType.Shape.Dim[1];
        dim.ClearDimValue();
        dim.DimParam = "features";
        using var dir = new TempDir();
        var path = dir.File("symbolic.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model));
        using var s = OnnxSession.Open(path);
        var e = Assert.Throws<OnnxInputException>(() => s.Runner(4));
        Assert.Contains("symbolic.onnx", e.Message);
        Assert.Contains("symbolic dimension after the batch", e.Message);
        Assert.Contains("export the model with every dimension but the first fixed", e.Message);
    }

    [Fact]
    public void TenThousandPreAllocatedRunsKeepMemoryFlat()
    {
        using var s = OnnxSession.FromBytes(Net().Bytes());
        using var r = s.Runner(32);
        var x = Networks.Inputs(32, 12);
        for (int i = 0; i < 500; i++) r.Run(x, 32);
        long managed = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) r.Run(x, i % 7 == 0 ? 31 : 32);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - managed;
        Assert.True(allocated < 10_000 * 600L, $"10,000 runs allocated {allocated:N0} managed bytes");
    }
}

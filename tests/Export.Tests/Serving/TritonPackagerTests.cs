using DlBook.Engine.Activations;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Export.Serving;
using DlBook.Export.Tests.Support;
using DlBook.Pipelines.Schema;

namespace DlBook.Export.Tests.Serving;

/// <summary>The Triton model repository layout and config.pbtxt.</summary>
public class TritonPackagerTests
{
    [Fact]
    public void WritesModelAndConfigWithDynamicBatchingAndPerRequestDims()
    {
        using var dir = new TempDir();
        var net = Networks.Build(784, Activation.Softmax, PredictionKind.MulticlassClassification, Networks.Dense("d1", 784, 30), Networks.Act("a", 30, Activation.Sigmoid), Networks.Dense("d2", 30, 10));
        var onnx = dir.File("mnist.onnx");
        File.WriteAllBytes(onnx, net.Bytes());
        var p = TritonPackager.Write(onnx, dir.File("repo"), "mnist", new TritonOptions { MaxBatchSize = 128, PreferredBatchSizes = [32, 64] });

        Assert.Equal(dir.File("repo/mnist/1/model.onnx"), p.ModelPath);
        Assert.Equal(File.ReadAllBytes(onnx), File.ReadAllBytes(p.ModelPath));
        var config = File.ReadAllText(dir.File("repo/mnist/config.pbtxt"));
        Assert.Equal(p.Config, config);
        Assert.Contains("name: \"mnist\"", config);
        Assert.Contains("platform: \"onnxruntime_onnx\"", config);
        Assert.Contains("max_batch_size: 128", config);
        Assert.Contains("name: \"Features\"\n    data_type: TYPE_FP32\n    dims: [ 784 ]", config);
        Assert.Contains("name: \"Score\"\n    data_type: TYPE_FP32\n    dims: [ 10 ]", config);
        Assert.Contains("name: \"PredictedLabel\"\n    data_type: TYPE_INT64\n    dims: [ 1 ]\n    reshape: { shape: [ ] }", config);
        Assert.Contains("dynamic_batching {\n  preferred_batch_size: [ 32, 64 ]\n  max_queue_delay_microseconds: 100\n}", config);
        Assert.Equal(["config.pbtxt"], Directory.GetFiles(dir.File("repo/mnist")).Select(Path.GetFileName));
        Assert.Equal(["mnist"], Directory.GetDirectories(dir.File("repo")).Select(Path.GetFileName));

        // The packaged model is the same runnable model.
        using var s = OnnxSession.Open(p.ModelPath);
        Assert.Equal(2, s.Outputs.Count);
        Assert.Equal("CPU", s.ExecutionProvider);
    }

    [Fact]
    public void RepackagingReplacesTheOldEntry()
    {
        using var dir = new TempDir();
        var net = Networks.Build(4, Activation.Sigmoid, PredictionKind.BinaryClassification, Networks.Dense("d1", 4, 1));
        var onnx = dir.File("bin.onnx");
        File.WriteAllBytes(onnx, net.Bytes());
        TritonPackager.Write(onnx, dir.File("repo"), "bin", new TritonOptions { Version = 1 });
        var p = TritonPackager.Write(onnx, dir.File("repo"), "bin", new TritonOptions { Version = 2, InstanceKind = "KIND_CPU", InstanceCount = 2 });
        Assert.Contains("data_type: TYPE_BOOL", p.Config);
        Assert.Equal(["2"], Directory.GetDirectories(dir.File("repo/bin")).Select(Path.GetFileName));
        Assert.Contains("instance_group [\n  {\n    count: 2\n    kind: KIND_CPU", p.Config);
        Assert.Single(Directory.GetDirectories(dir.File("repo")));
    }

    [Fact]
    public void BadInputsAreTypedErrors()
    {
        using var dir = new TempDir();
        var junk = dir.File("junk.onnx");
        File.WriteAllBytes(junk, [0xff, 0xff, 0xff, 0x01, 0x02]);
        Assert.Throws<InvalidDataException>(() => TritonPackager.Write(junk, dir.File("repo"), "m"));
        Assert.Throws<FileNotFoundException>(() => TritonPackager.Write(dir.File("none.onnx"), dir.File("repo"), "m"));
        Assert.Throws<ArgumentException>(() => TritonPackager.Write(junk, dir.File("repo"), "../escape"));
        Assert.False(Directory.Exists(dir.File("repo/m")));
    }
}

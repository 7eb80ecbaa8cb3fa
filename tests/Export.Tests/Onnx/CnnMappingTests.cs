using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Tensors;
using DlBook.Export.Onnx;
using DlBook.Export.Onnx.Proto;
using DlBook.Export.Runtime;
using DlBook.Export.Tests.Support;
using DlBook.Pipelines.Schema;
using static DlBook.Export.Tests.Support.Networks;

namespace DlBook.Export.Tests.Onnx;

/// <summary>
/// The CNN layer mappings: the book's Keras net at a small size and nets with BatchNorm2d, average and global average
/// pooling, stride 2, "same" and explicit padding and dilation pass onnx.checker (full_check) and ONNX Runtime, through
/// our session, reproduces the engine's inference forward pass within 1e-4 at batch 1 and 7.
/// </summary>
public class CnnMappingTests
{
    public static TheoryData<string> Cases => new("keras-binary", "keras-multiclass", "bn-avg-gap-multiclass", "bn-pads-binary", "softmax-feature-maps",
        "batchnorm1d-feature-maps");

    internal static TestNet Case(string name) => name switch
    {
        // The book's Keras net (Conv 32 3×3 ReLU, MaxPool 2, Conv 32 3×3 ReLU, MaxPool 2, Flatten, Dense ReLU, Dense 1 sigmoid) on 3×16×16.
        "keras-binary" => BuildShaped([3, 16, 16], Activation.Sigmoid, PredictionKind.BinaryClassification, 0, Keras(1)),
        "keras-multiclass" => BuildShaped([3, 16, 16], Activation.Softmax, PredictionKind.MulticlassClassification, 0, Keras(4)),
        // Stride 2 with "same" padding on a non-square odd input, BatchNorm2d, a dilated bias-free conv, "same" average
        // pooling (windows cut by the padding), spatial dropout, a 1×1 conv and global average pooling.
        "bn-avg-gap-multiclass" => BuildShaped([3, 15, 13], Activation.Softmax, PredictionKind.MulticlassClassification, 3,
            Conv("conv1", 8, "3", stride: "2", padding: "same"), Plain(LayerKinds.BatchNorm2d, "bn1"), Act("relu1", Activation.Relu),
            Conv("conv2", 8, "3", padding: "same", dilation: "2", bias: false), Plain(LayerKinds.BatchNorm2d, "bn2"), Act("relu2", Activation.Relu),
            Pool(LayerKinds.AvgPool2d, "avg1", "3", stride: "2", padding: "same"),
            new LayerSpec { Kind = LayerKinds.SpatialDropout2d, Name = "sdrop1" }.With("rate", 0.3f),
            Conv("conv3", 6, "1"), Plain(LayerKinds.GlobalAvgPool2d, "gap"), Units("dense1", 3)),
        // A single input channel, a 5×5 kernel with explicit uneven pads, max pooling with padding 1 and average pooling
        // with explicit pads, then Flatten and a sigmoid output.
        "bn-pads-binary" => BuildShaped([1, 14, 11], Activation.Sigmoid, PredictionKind.BinaryClassification, 3,
            Conv("conv1", 6, "5", padding: "2,1,1,2"), Plain(LayerKinds.BatchNorm2d, "bn1"), Act("tanh1", Activation.Tanh),
            Pool(LayerKinds.MaxPool2d, "max1", "3", stride: "2", padding: "1"),
            Conv("conv2", 4, "3,2", stride: "1,2", dilation: "2,1"), Act("relu1", Activation.Relu),
            Pool(LayerKinds.AvgPool2d, "avg1", "2", stride: "1", padding: "1,0,0,1"),
            Plain(LayerKinds.Flatten, "flat"), Units("dense1", 1)),
        // A Softmax activation over feature maps: the engine normalises over all C·H·W values of a sample, ONNX Softmax
        // over one axis, so the mapping must flatten first.
        "softmax-feature-maps" => BuildShaped([2, 6, 5], Activation.Softmax, PredictionKind.MulticlassClassification, 0,
            Conv("conv1", 3, "3", padding: "same"), Act("softmax1", Activation.Softmax), Act("scale", Activation.LogSoftmax),
            Pool(LayerKinds.MaxPool2d, "max1", "2"), Plain(LayerKinds.Flatten, "flat"), Units("dense1", 3)),
        // BatchNorm1d over feature maps: one statistic per value of [C, H, W], where ONNX BatchNormalization takes axis 1.
        "batchnorm1d-feature-maps" => BuildShaped([2, 5, 4], Activation.Softmax, PredictionKind.MulticlassClassification, 3,
            Conv("conv1", 3, "3", padding: "same"), new LayerSpec { Kind = LayerKinds.BatchNorm1d, Name = "bn1" },
            Plain(LayerKinds.Flatten, "flat"), Units("dense1", 3)),
        _ => throw new ArgumentException(name),
    };

    private static LayerSpec[] Keras(int outputs) =>
    [
        Conv("conv1", 32, "3"), Act("relu1", Activation.Relu), Pool(LayerKinds.MaxPool2d, "pool1", "2"),
        Conv("conv2", 32, "3"), Act("relu2", Activation.Relu), Pool(LayerKinds.MaxPool2d, "pool2", "2"),
        Plain(LayerKinds.Flatten, "flatten"), Units("dense1", 16), Act("relu3", Activation.Relu), Units("dense2", outputs),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportedCnnPassesTheOnnxChecker(string name)
    {
        using var dir = new TempDir();
        var path = dir.File(name + ".onnx");
        File.WriteAllBytes(path, Case(name).Bytes());
        var (code, output) = OnnxChecker.Check(path);
        Assert.True(code == 0, $"onnx.checker rejected {name}: {output}");
        Assert.StartsWith("ok 17", output.Trim());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OrtMatchesTheEngineInferenceForwardAtBatch1And7(string name)
    {
        var model = Case(name);
        var shape = model.Net.InputShape;
        int size = Tensor.ComputeLength(shape);
        var bytes = model.Bytes();
        using var session = OnnxSession.FromBytes(bytes, name: name);
        bool binary = model.Task == PredictionKind.BinaryClassification;
        foreach (int batch in new[] { 1, 7 })
        {
            var x = Inputs(batch, size, seed: 50 + batch);
            var logits = model.Net.Forward(new Tensor(x, [batch, .. shape]), training: false).Clone();
            var expected = model.Predict(new Tensor(x, [batch, .. shape]));
            var outputs = session.Run("Features", x, batch);
            AssertWithin(name, batch, binary ? "Probability" : "Score", expected.Span, outputs[binary ? "Probability" : "Score"]);
            // Binary Score is the logit, before the sigmoid that could hide a difference in its flat tails.
            if (binary) AssertWithin(name, batch, "Score", logits.Span, outputs["Score"]);
            var labels = Ort.Run(bytes, x, batch, shape)["PredictedLabel"];
            for (int r = 0; r < batch; r++)
            {
                var row = expected.Row(r);
                if (binary) Assert.Equal(row[0] > 0.5f, ((bool[])labels)[r]);
                else Assert.Equal(row.IndexOf(Max(row)), ((long[])labels)[r]);
            }
        }
        // The comparison means something only if the outputs are spread out, not all saturated at one value.
        var many = model.Predict(new Tensor(Inputs(32, size, seed: 99), [32, .. shape])).Span.ToArray();
        Assert.True(many.Max() - many.Min() > 1e-3, $"{name}: the engine's outputs hardly vary ({many.Min()}…{many.Max()})");
        Assert.Contains(many, v => v > 0.02f && v < 0.98f);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(15)]
    [InlineData(21)]
    public void EverySupportedOpsetGivesTheScoresOfOpset17(int opset)
    {
        var model = Case("bn-avg-gap-multiclass");
        var shape = model.Net.InputShape;
        var x = Inputs(7, Tensor.ComputeLength(shape), seed: 61);
        var bytes = model.Bytes(opset);
        Assert.Equal(opset, ModelProto.Parser.ParseFrom(bytes).OpsetImport.Single().Version);
        if (opset <= 17)
        {
            // Debian's python3-onnx 1.12 knows opsets up to 17; newer files are held to ONNX Runtime alone.
            using var dir = new TempDir();
            var path = dir.File($"o{opset}.onnx");
            File.WriteAllBytes(path, bytes);
            var (code, output) = OnnxChecker.Check(path);
            Assert.True(code == 0, $"onnx.checker rejected opset {opset}: {output}");
        }
        using var session = OnnxSession.FromBytes(bytes, name: $"opset {opset}");
        var expected = model.Predict(new Tensor(x, [7, .. shape]));
        AssertWithin($"opset {opset}", 7, "Score", expected.Span, session.Run("Features", x, 7)["Score"]);
    }

    [Fact]
    public void KerasNetIsWrittenAsConvReluMaxPoolFlattenGemm()
    {
        var graph = ModelProto.Parser.ParseFrom(Case("keras-binary").Bytes()).Graph;
        var ops = graph.Node.Select(n => n.OpType).ToArray();
        Assert.Equal(["Reshape", "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Relu", "Gemm"], ops[..11]);
        var conv = graph.Node.First(n => n.OpType == "Conv");
        Assert.Equal([3L, 3], Ints(conv, "kernel_shape"));
        Assert.Equal([1L, 1], Ints(conv, "strides"));
        Assert.Equal([0L, 0, 0, 0], Ints(conv, "pads"));
        Assert.Equal([1L, 1], Ints(conv, "dilations"));
        Assert.Equal(3, conv.Input.Count);
        var w = graph.Initializer.Single(t => t.Name == conv.Input[1]);
        Assert.Equal([32L, 3, 3, 3], w.Dims);
        var pool = graph.Node.First(n => n.OpType == "MaxPool");
        Assert.Equal([2L, 2], Ints(pool, "kernel_shape"));
        Assert.Equal([2L, 2], Ints(pool, "strides"));
    }

    [Fact]
    public void StridePaddingDilationAndPoolingSettingsReachTheGraph()
    {
        var model = Case("bn-avg-gap-multiclass");
        var graph = ModelProto.Parser.ParseFrom(model.Bytes()).Graph;
        var convs = graph.Node.Where(n => n.OpType == "Conv").ToArray();
        // conv1: 3×3 stride 2 "same" on 15×13 → outputs 8×7, pads (SAME_UPPER) top 1, left 1, bottom 1, right 1.
        Assert.Equal([2L, 2], Ints(convs[0], "strides"));
        Assert.Equal(model.Net.Specs[0].GetInts("pads").Select(p => (long)p), Ints(convs[0], "pads"));
        Assert.Equal([1L, 1, 1, 1], Ints(convs[0], "pads"));
        // conv2: dilation 2, "same" (pads 2 on each side), no bias input.
        Assert.Equal([2L, 2], Ints(convs[1], "dilations"));
        Assert.Equal([2L, 2, 2, 2], Ints(convs[1], "pads"));
        Assert.Equal(2, convs[1].Input.Count);
        var avg = graph.Node.Single(n => n.OpType == "AveragePool");
        Assert.Equal(0, avg.Attribute.Single(a => a.Name == "count_include_pad").I);
        // 3×3 stride 2 "same" on 8×7: SAME_UPPER puts the odd pad of the height at the bottom.
        Assert.Equal([0L, 1, 1, 1], Ints(avg, "pads"));
        // Global average pooling keeps [batch, C, 1, 1]; a Flatten gives the Dense its [batch, C].
        var gap = graph.Node.Single(n => n.OpType == "GlobalAveragePool");
        var next = graph.Node.Single(n => n.Input.Contains(gap.Output[0]));
        Assert.Equal("Flatten", next.OpType);
        Assert.Equal(1, next.Attribute.Single(a => a.Name == "axis").I);
        // Spatial dropout is the identity at inference: no node.
        Assert.DoesNotContain(graph.Node, n => n.OpType == "Dropout" || n.Name.StartsWith("sdrop1"));
    }

    [Fact]
    public void BatchNorm2dIsWrittenWithItsTrainedRunningStatisticsAndEpsilon()
    {
        var model = Case("bn-avg-gap-multiclass");
        var layer = (BatchNorm2dLayer)model.Net.Layer("bn1");
        var mean = layer.RunningMean.Value.Span.ToArray();
        var variance = layer.RunningVar.Value.Span.ToArray();
        // The statistics came from training-mode batches: far from the initial 0 and 1.
        Assert.All(mean, m => Assert.True(Math.Abs(m) > 1e-3, $"running mean {m} is still about 0"));
        Assert.Contains(variance, v => Math.Abs(v - 1) > 1e-2);
        var graph = ModelProto.Parser.ParseFrom(model.Bytes()).Graph;
        var bn = graph.Node.First(n => n.OpType == "BatchNormalization" && n.Name == "bn1");
        Assert.Equal(layer.Epsilon, bn.Attribute.Single(a => a.Name == "epsilon").F);
        float[] Initializer(string name) =>
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(graph.Initializer.Single(t => t.Name == name).RawData.Span).ToArray();
        Assert.Equal(mean, Initializer(bn.Input[3]));
        Assert.Equal(variance, Initializer(bn.Input[4]));
        Assert.Equal(layer.Gamma.Value.Span.ToArray(), Initializer(bn.Input[1]));
    }

    [Fact]
    public void ConvSpecWithoutResolvedPadsIsATypedErrorNamingTheLayer()
    {
        var model = Case("keras-binary");
        model.Net.Specs[0].Settings.Remove("pads");
        var e = Assert.Throws<OnnxExportException>(() => model.Bytes());
        Assert.Contains("Layer 'conv1' (Conv2d)", e.Message);
        Assert.Contains("'pads'", e.Message);
    }

    private static long[] Ints(NodeProto node, string attribute) => node.Attribute.Single(a => a.Name == attribute).Ints.ToArray();

    private static void AssertWithin(string name, int batch, string output, ReadOnlySpan<float> expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxErr = 0;
        for (int i = 0; i < actual.Length; i++) maxErr = Math.Max(maxErr, Math.Abs(actual[i] - expected[i]));
        Assert.True(maxErr <= 1e-4, $"{name} batch {batch} {output}: max |ORT − engine| = {maxErr:g3}");
    }

    private static float Max(Span<float> row)
    {
        float m = float.NegativeInfinity;
        foreach (var v in row) m = Math.Max(m, v);
        return m;
    }
}

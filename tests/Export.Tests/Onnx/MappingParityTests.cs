using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Tensors;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Export.Tests.Support;
using DlBook.Pipelines.Schema;

namespace DlBook.Export.Tests.Onnx;

/// <summary>Every layer mapping: the exported file passes onnx.checker (full_check) and ORT reproduces the reference forward pass within 1e-4.</summary>
public class MappingParityTests
{
    public static TheoryData<string> Cases => new(CaseNames);

    private static readonly string[] CaseNames =
        ["dense-sigmoid", "relu", "tanh", "leaky-relu", "elu", "softmax-output", "log-softmax", "batchnorm", "dropout", "regression-identity", "binary-sigmoid"];

    internal static TestNet Case(string name) => name switch
    {
        "dense-sigmoid" => Networks.Build(12, Activation.Sigmoid, PredictionKind.MulticlassClassification, Networks.Dense("dense1", 12, 5)),
        "relu" => Networks.Build(12, Activation.Softmax, PredictionKind.MulticlassClassification, Networks.Dense("d1", 12, 8), Networks.Act("a1", 8, Activation.Relu), Networks.Dense("d2", 8, 4)),
        "tanh" => Networks.Build(12, Activation.Softmax, PredictionKind.MulticlassClassification, Networks.Dense("d1", 12, 8), Networks.Act("a1", 8, Activation.Tanh), Networks.Dense("d2", 8, 4)),
        "leaky-relu" => Networks.Build(12, Activation.Softmax, PredictionKind.MulticlassClassification, Networks.Dense("d1", 12, 8), Networks.Act("a1", 8, Activation.LeakyRelu, 0.2f), Networks.Dense("d2", 8, 4)),
        "elu" => Networks.Build(12, Activation.Softmax, PredictionKind.MulticlassClassification, Networks.Dense("d1", 12, 8), Networks.Act("a1", 8, Activation.Elu, 0.7f), Networks.Dense("d2", 8, 4)),
        "softmax-output" => Networks.Build(12, Activation.Softmax, PredictionKind.MulticlassClassification, Networks.Dense("d1", 12, 10)),
        "log-softmax" => Networks.Build(12, Activation.Identity, PredictionKind.MulticlassClassification, Networks.Dense("d1", 12, 6), Networks.Act("a1", 6, Activation.LogSoftmax)),
        "batchnorm" => Networks.Build(12, Activation.Softmax, PredictionKind.MulticlassClassification, Networks.Dense("d1", 12, 8), Networks.BatchNorm("bn1", 8), Networks.Act("a1", 8, Activation.Relu), Networks.Dense("d2", 8, 3)),
        "dropout" => Networks.Build(12, Activation.Sigmoid, PredictionKind.MulticlassClassification, Networks.Dense("d1", 12, 8), Networks.Dropout("drop1", 8), Networks.Dense("d2", 8, 3)),
        "regression-identity" => Networks.Build(12, Activation.Identity, PredictionKind.Regression, Networks.Dense("d1", 12, 6), Networks.Act("a1", 6, Activation.Sigmoid), Networks.Dense("d2", 6, 1)),
        "binary-sigmoid" => Networks.Build(12, Activation.Sigmoid, PredictionKind.BinaryClassification, Networks.Dense("d1", 12, 6), Networks.Act("a1", 6, Activation.Tanh), Networks.Dense("d2", 6, 1)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportedMappingPassesTheOnnxChecker(string name)
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
    public void OrtMatchesTheEngineAtBatch1And64(string name)
    {
        var model = Case(name);
        var bytes = model.Bytes();
        foreach (int batch in new[] { 1, 64 })
        {
            var x = Networks.Inputs(batch, 12, seed: batch);
            var expected = model.Predict(new Tensor(x, batch, 12));
            var outputs = Ort.Run(bytes, x, batch, 12);
            var score = (float[])outputs[model.Task == PredictionKind.BinaryClassification ? "Probability" : "Score"];
            Assert.Equal(expected.Length, score.Length);
            double maxErr = 0;
            for (int i = 0; i < score.Length; i++) maxErr = Math.Max(maxErr, Math.Abs(score[i] - expected.Span[i]));
            Assert.True(maxErr <= 1e-4, $"{name} batch {batch}: max |ORT − engine| = {maxErr:g3}");
            if (model.Task == PredictionKind.Regression) { Assert.Single(outputs); continue; }
            for (int r = 0; r < batch; r++)
            {
                var row = expected.Row(r);
                if (model.Task == PredictionKind.BinaryClassification) Assert.Equal(row[0] > 0.5f, ((bool[])outputs["PredictedLabel"])[r]);
                else Assert.Equal(row.IndexOf(TensorMax(row)), ((long[])outputs["PredictedLabel"])[r]);
            }
        }
    }

    [Fact]
    public void OurSessionAndBatchRunnerGiveWhatOnnxRuntimesOwnApiGives()
    {
        var model = Case("batchnorm");
        var x = Networks.Inputs(7, 12, seed: 3);
        var expected = (float[])Ort.Run(model.Bytes(), x, 7, 12)["Score"];
        using var session = OnnxSession.FromBytes(model.Bytes(), name: "batchnorm");
        Assert.Equal("CPU", session.ExecutionProvider);
        Assert.Equal(expected, session.Run("Features", x, 7)["Score"]);
        using var runner = session.Runner(4, outputNames: ["Score"]);
        runner.Run(x, 4);
        Assert.Equal(expected[..(4 * 3)], runner.Output("Score").ToArray());
        runner.Run(x.AsSpan(4 * 12), 3);                   // a shorter last batch
        Assert.Equal(expected[(4 * 3)..], runner.Output("Score").ToArray());
        runner.Run(x, 4);                                  // and back to full batches
        Assert.Equal(expected[..(4 * 3)], runner.Output("Score").ToArray());
        runner.Run(x.AsMemory(4 * 12), 3);                 // the input read in place, not copied
        Assert.Equal(expected[(4 * 3)..], runner.Output("Score").ToArray());
    }

    [Fact]
    public void UnknownLayerKindIsATypedErrorNamingTheLayer()
    {
        LayerFactory.Register("Conv9d", new IdentityBuilder());
        var net = Networks.Build(4, Activation.Softmax, PredictionKind.MulticlassClassification,
            new LayerSpec { Kind = "Conv9d", Name = "weird" }, Networks.Dense("d", 4, 3));
        var e = Assert.Throws<OnnxExportException>(() => net.Bytes());
        Assert.Contains("Layer 'weird' is of kind 'Conv9d'", e.Message);
        Assert.Contains("OnnxLayerMappings.Register", e.Message);
    }

    private sealed class IdentityBuilder : ILayerBuilder
    {
        public ILayer Build(LayerSpec spec, int[] inputShape, DlBook.Engine.Random.Rng? rng) =>
            LayerFactory.Build(new LayerSpec { Kind = LayerKinds.Activation, Name = spec.Name }.With("activation", "Identity"), inputShape, rng) is var inner
                ? new Renamed(spec, inner, inputShape) : throw new InvalidOperationException();
    }

    private sealed class Renamed(LayerSpec spec, ILayer inner, int[] shape) : ILayer
    {
        public LayerSpec Spec { get; } = Fill(spec, shape);
        public IReadOnlyList<Parameter> Parameters => inner.Parameters;
        public Tensor Forward(Tensor input, bool training) => inner.Forward(input, training);
        public Tensor Backward(Tensor outputGradient) => inner.Backward(outputGradient);
        private static LayerSpec Fill(LayerSpec s, int[] shape) { s.InputShape = shape; s.OutputShape = shape; return s; }
    }

    [Fact]
    public void MissingParameterIsATypedError()
    {
        var net = Networks.Build(4, Activation.Softmax, PredictionKind.MulticlassClassification, Networks.Dense("d", 4, 3));
        net.Net.Specs[0].Parameters.RemoveAt(1);
        var e = Assert.Throws<OnnxExportException>(() => net.Bytes());
        Assert.Contains("Layer 'd' (Dense) has no parameter 'b'", e.Message);
    }

    [Fact]
    public void RegisteredMappingsCoverTheEngineKinds()
    {
        foreach (var kind in new[] { LayerKinds.Dense, LayerKinds.Activation, LayerKinds.Dropout, LayerKinds.BatchNorm1d, LayerKinds.Conv2d,
                     LayerKinds.MaxPool2d, LayerKinds.AvgPool2d, LayerKinds.GlobalAvgPool2d, LayerKinds.BatchNorm2d, LayerKinds.Flatten, LayerKinds.SpatialDropout2d })
            Assert.Equal(kind, OnnxLayerMappings.Get(kind, "x").Kind);
    }

    [Fact]
    public void DropoutAddsNoNode()
    {
        var with = Networks.Build(12, Activation.Sigmoid, PredictionKind.MulticlassClassification, Networks.Dense("d1", 12, 8), Networks.Dropout("drop", 8), Networks.Dense("d2", 8, 3));
        var without = Networks.Build(12, Activation.Sigmoid, PredictionKind.MulticlassClassification, Networks.Dense("d1", 12, 8), Networks.Dense("d2", 8, 3));
        var a = DlBook.Export.Onnx.Proto.ModelProto.Parser.ParseFrom(with.Bytes());
        var b = DlBook.Export.Onnx.Proto.ModelProto.Parser.ParseFrom(without.Bytes());
        Assert.Equal(b.Graph.Node.Select(n => n.OpType), a.Graph.Node.Select(n => n.OpType));
        Assert.DoesNotContain(a.Graph.Node, n => n.OpType == "Dropout");
    }

    private static float TensorMax(Span<float> row)
    {
        float m = float.NegativeInfinity;
        foreach (var v in row) m = Math.Max(m, v);
        return m;
    }
}

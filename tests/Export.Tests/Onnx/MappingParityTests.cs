using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Tensors;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Export.Tests.Support;

namespace DlBook.Export.Tests.Onnx;

/// <summary>Every layer mapping: the exported file passes onnx.checker (full_check) and ORT reproduces the reference forward pass within 1e-4.</summary>
public class MappingParityTests
{
    public static TheoryData<string> Cases => new(CaseNames);

    private static readonly string[] CaseNames =
        ["dense-sigmoid", "relu", "tanh", "leaky-relu", "elu", "softmax-output", "log-softmax", "batchnorm", "dropout", "flatten", "regression-identity", "binary-sigmoid"];

    internal static FakeNetworkModel Case(string name) => name switch
    {
        "dense-sigmoid" => Networks.Build(12, Activation.Sigmoid, "MulticlassClassification", Networks.Dense("dense1", 12, 5)),
        "relu" => Networks.Build(12, Activation.Softmax, "MulticlassClassification", Networks.Dense("d1", 12, 8), Networks.Act("a1", 8, Activation.Relu), Networks.Dense("d2", 8, 4)),
        "tanh" => Networks.Build(12, Activation.Softmax, "MulticlassClassification", Networks.Dense("d1", 12, 8), Networks.Act("a1", 8, Activation.Tanh), Networks.Dense("d2", 8, 4)),
        "leaky-relu" => Networks.Build(12, Activation.Softmax, "MulticlassClassification", Networks.Dense("d1", 12, 8), Networks.Act("a1", 8, Activation.LeakyRelu, 0.2f), Networks.Dense("d2", 8, 4)),
        "elu" => Networks.Build(12, Activation.Softmax, "MulticlassClassification", Networks.Dense("d1", 12, 8), Networks.Act("a1", 8, Activation.Elu, 0.7f), Networks.Dense("d2", 8, 4)),
        "softmax-output" => Networks.Build(12, Activation.Softmax, "MulticlassClassification", Networks.Dense("d1", 12, 10)),
        "log-softmax" => Networks.Build(12, Activation.Identity, "MulticlassClassification", Networks.Dense("d1", 12, 6), Networks.Act("a1", 6, Activation.LogSoftmax)),
        "batchnorm" => Networks.Build(12, Activation.Softmax, "MulticlassClassification", Networks.Dense("d1", 12, 8), Networks.BatchNorm("bn1", 8), Networks.Act("a1", 8, Activation.Relu), Networks.Dense("d2", 8, 3)),
        "dropout" => Networks.Build(12, Activation.Sigmoid, "MulticlassClassification", Networks.Dense("d1", 12, 8), Networks.Dropout("drop1", 8), Networks.Dense("d2", 8, 3)),
        "flatten" => Networks.Build(12, Activation.Softmax, "MulticlassClassification",
            new LayerSpec { Kind = "Flatten", Name = "flat", InputShape = [12], OutputShape = [12] }, Networks.Dense("d1", 12, 3)),
        "regression-identity" => Networks.Build(12, Activation.Identity, "Regression", Networks.Dense("d1", 12, 6), Networks.Act("a1", 6, Activation.Sigmoid), Networks.Dense("d2", 6, 1)),
        "binary-sigmoid" => Networks.Build(12, Activation.Sigmoid, "BinaryClassification", Networks.Dense("d1", 12, 6), Networks.Act("a1", 6, Activation.Tanh), Networks.Dense("d2", 6, 1)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportedMappingPassesTheOnnxChecker(string name)
    {
        using var dir = new TempDir();
        var path = dir.File(name + ".onnx");
        OnnxExporter.Export(Case(name), path);
        var (code, output) = OnnxChecker.Check(path);
        Assert.True(code == 0, $"onnx.checker rejected {name}: {output}");
        Assert.StartsWith("ok 17", output.Trim());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OrtMatchesTheReferenceAtBatch1And64(string name)
    {
        var model = Case(name);
        using var session = OnnxSession.FromBytes(OnnxExporter.ToBytes(model, null), name: name);
        foreach (int batch in new[] { 1, 64 })
        {
            var x = Networks.Inputs(batch, 12, seed: batch);
            var expected = model.Predict(new Tensor(x, batch, 12));
            var outputs = session.Run("Features", x, batch, 12);
            var score = outputs[0].AsFloats();
            Assert.Equal(expected.Length, score.Length);
            double maxErr = 0;
            for (int i = 0; i < score.Length; i++) maxErr = Math.Max(maxErr, Math.Abs(score[i] - expected.Span[i]));
            Assert.True(maxErr <= 1e-4, $"{name} batch {batch}: max |ORT − reference| = {maxErr:g3}");
            if (model.Task == "Regression") { Assert.Single(outputs); continue; }
            var labels = outputs[1].AsInt64();
            Assert.Equal(new long[] { batch }, outputs[1].Shape);
            for (int r = 0; r < batch; r++)
            {
                var row = expected.Row(r);
                long want = row.Length == 1 ? (row[0] > 0.5f ? 1 : 0) : row.IndexOf(TensorMax(row));
                Assert.Equal(want, labels[r]);
            }
        }
    }

    private static float TensorMax(Span<float> row)
    {
        float m = float.NegativeInfinity;
        foreach (var v in row) m = Math.Max(m, v);
        return m;
    }
}

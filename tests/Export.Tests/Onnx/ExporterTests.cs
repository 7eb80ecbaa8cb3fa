using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Tensors;
using DlBook.Export.Onnx;
using DlBook.Export.Runtime;
using DlBook.Export.Tests.Support;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Export.Tests.Onnx;

/// <summary>Export of whole pipelines: folding of normalisers, ignored label steps, opsets, metadata, atomic writes, typed errors.</summary>
public class ExporterTests
{
    private static readonly DataSchema RawSchema = new([new DataColumn("Pixels", new VectorType([12])), new DataColumn("Label", ScalarType.Instance)]);

    private static (FakeChain Chain, FakeNetworkModel Net, FakeAffine Scale, FakeAffine Norm) Pipeline()
    {
        var net = Networks.Build(12, Activation.Softmax, "MulticlassClassification", Networks.Dense("d1", 12, 6), Networks.Act("a", 6, Activation.Relu), Networks.Dense("d2", 6, 4));
        var pixelScale = new FakeAffine("Pixels", "Features", Enumerable.Repeat(0f, 12).ToArray(), Enumerable.Repeat(1 / 255f, 12).ToArray());
        var rng = new Random(3);
        var norm = new FakeAffine("Features", "Features", Enumerable.Range(0, 12).Select(_ => (float)rng.NextDouble() * 0.5f).ToArray(),
            Enumerable.Range(0, 12).Select(_ => 0.5f + (float)rng.NextDouble() * 2).ToArray());
        return (new FakeChain(new FakeKeyMapping(), pixelScale, norm, net), net, pixelScale, norm);
    }

    [Fact]
    public void NormalisersAreFoldedSoTheGraphTakesTheRawColumn()
    {
        var (chain, net, scale, norm) = Pipeline();
        using var dir = new TempDir();
        var info = OnnxExporter.Export(chain, RawSchema, dir.File("m.onnx"));
        Assert.Equal("Pixels", info.InputName);
        Assert.Equal(2, info.FoldedSteps);
        Assert.Equal(0, OnnxChecker.Check(info.Path!).ExitCode);

        var raw = Networks.Inputs(64, 12).Select(v => v * 255f).ToArray();
        var expected = net.Predict(new Tensor(norm.Apply(scale.Apply(raw, 12), 12), 64, 12));
        using var s = OnnxSession.Open(info.Path!);
        var got = s.Run("Pixels", raw, 64, 12)[0].AsFloats();
        for (int i = 0; i < got.Length; i++) Assert.True(Math.Abs(got[i] - expected.Span[i]) <= 1e-4, $"element {i}: {got[i]} vs {expected.Span[i]}");
        var pre = s.Metadata[OnnxMetadataKeys.Preprocessing];
        Assert.Contains("\"input\":\"Pixels\"", pre);
        Assert.Contains("(x - offset) * scale", pre);
        Assert.Equal("Pixels", s.Metadata[OnnxMetadataKeys.FeatureColumn]);
        Assert.Equal("none", s.Metadata[OnnxMetadataKeys.ImageSize]);
        Assert.StartsWith("float32[batch,12]", s.Metadata[OnnxMetadataKeys.InputLayout]);
    }

    [Fact]
    public void ANonAffineStepWritingTheFeaturesIsATypedError()
    {
        var (_, net, _, _) = Pipeline();
        var schema = new DataSchema([new DataColumn("Features", new VectorType([24]))]);
        var chain = new FakeChain(new FakeReshape("Features", 12), net);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ToBytes(chain, schema));
        Assert.Contains("FakeReshape", e.Message);
        Assert.Contains("'Features'", e.Message);
    }

    [Fact]
    public void ColumnOfTheWrongSizeIsATypedError()
    {
        var (_, net, _, _) = Pipeline();
        var schema = new DataSchema([new DataColumn("Features", new VectorType([10]))]);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ToBytes(net, schema));
        Assert.Contains("Column 'Features' is Vector<Single>[10]", e.Message);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(22)]
    [InlineData(9)]
    public void OpsetsOutside13To21AreRejected(int opset)
    {
        var (chain, _, _, _) = Pipeline();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ToBytes(chain, RawSchema, new OnnxExportOptions { Opset = opset }));
        Assert.Contains($"Opset {opset} is not supported", e.Message);
        Assert.Contains("13–21", e.Message);
    }

    [Theory]
    [InlineData(13, 7)]
    [InlineData(17, 8)]
    [InlineData(21, 10)]
    public void OpsetsLoadInOrtAndGiveTheSameScores(int opset, int ir)
    {
        var (chain, _, _, _) = Pipeline();
        var bytes = OnnxExporter.ToBytes(chain, RawSchema, new OnnxExportOptions { Opset = opset });
        var model = DlBook.Export.Onnx.Proto.ModelProto.Parser.ParseFrom(bytes);
        Assert.Equal(opset, model.OpsetImport.Single().Version);
        Assert.Equal(ir, model.IrVersion);
        using var s = OnnxSession.FromBytes(bytes);
        using var reference = OnnxSession.FromBytes(OnnxExporter.ToBytes(chain, RawSchema));
        var x = Networks.Inputs(5, 12);
        Assert.Equal(reference.Run("Pixels", x, 5, 12)[0].AsFloats(), s.Run("Pixels", x, 5, 12)[0].AsFloats());
    }

    [Fact]
    public void Opset13PassesTheChecker()
    {
        var (chain, _, _, _) = Pipeline();
        using var dir = new TempDir();
        var p = dir.File("m13.onnx");
        OnnxExporter.Export(chain, RawSchema, p, new OnnxExportOptions { Opset = 13 });
        var (code, output) = OnnxChecker.Check(p);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void UnknownLayerKindIsATypedErrorNamingTheLayer()
    {
        var net = Networks.Build(4, Activation.Softmax, "MulticlassClassification",
            new LayerSpec { Kind = "Conv9d", Name = "weird", InputShape = [4], OutputShape = [4] }, Networks.Dense("d", 4, 3));
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ToBytes(net, null));
        Assert.Contains("Layer 'weird' is of kind 'Conv9d'", e.Message);
        Assert.Contains("OnnxLayerMappings.Register", e.Message);
    }

    [Fact]
    public void MissingParameterIsATypedError()
    {
        var spec = Networks.Dense("d", 4, 3);
        spec.Parameters.RemoveAt(1);
        var net = new FakeNetworkModel([4], [spec], Activation.Softmax, "MulticlassClassification", null);
        net.Set("d", "W", new Tensor(3, 4));
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.ToBytes(net, null));
        Assert.Contains("Layer 'd' (Dense) has no parameter 'b'", e.Message);
    }

    [Fact]
    public void RegisteredMappingsCoverTheEngineKinds()
    {
        foreach (var kind in new[] { LayerKinds.Dense, LayerKinds.Activation, LayerKinds.Dropout, LayerKinds.BatchNorm1d, "Flatten" })
            Assert.Equal(kind, OnnxLayerMappings.Get(kind, "x").Kind);
    }

    [Fact]
    public void DropoutAddsNoNode()
    {
        var with = Networks.Build(12, Activation.Sigmoid, "MulticlassClassification", Networks.Dense("d1", 12, 8), Networks.Dropout("drop", 8), Networks.Dense("d2", 8, 3));
        var without = Networks.Build(12, Activation.Sigmoid, "MulticlassClassification", Networks.Dense("d1", 12, 8), Networks.Dense("d2", 8, 3));
        var a = DlBook.Export.Onnx.Proto.ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(with, null));
        var b = DlBook.Export.Onnx.Proto.ModelProto.Parser.ParseFrom(OnnxExporter.ToBytes(without, null));
        Assert.Equal(b.Graph.Node.Select(n => n.OpType), a.Graph.Node.Select(n => n.OpType));
        Assert.DoesNotContain(a.Graph.Node, n => n.OpType == "Dropout");
    }

    [Fact]
    public void ExportToAnExistingPathReplacesItAtomicallyAndLeavesNoTemporaryFiles()
    {
        var (chain, _, _, _) = Pipeline();
        using var dir = new TempDir();
        var p = dir.File("m.onnx");
        File.WriteAllText(p, "old");
        var ctx = new DlContext();
        var logs = new List<string>();
        ctx.Log += (_, e) => logs.Add(e.Message);
        ctx.Model.ExportToOnnx(chain, RawSchema, p, opset: 15);
        Assert.Single(Directory.GetFiles(dir.Path));
        Assert.Equal(15, DlBook.Export.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(p)).OpsetImport[0].Version);
        Assert.Contains(logs, l => l.Contains("opset 15") && l.Contains("2 normaliser(s) folded"));

        // A failing export (bad opset) leaves the previous file untouched.
        var before = File.ReadAllBytes(p);
        Assert.Throws<OnnxExportException>(() => ctx.Model.ExportToOnnx(chain, RawSchema, p, opset: 30));
        Assert.Equal(before, File.ReadAllBytes(p));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}

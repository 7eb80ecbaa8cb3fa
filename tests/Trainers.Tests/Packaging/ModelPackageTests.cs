using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Trainers.Packaging;

namespace DlBook.Trainers.Tests.Packaging;

public sealed class ModelPackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-pkg-").FullName;
    private readonly DlContext _ctx = new(seed: 1);
    private static readonly DataSchema Schema = new([new DataColumn("Features", new VectorType([3])), new DataColumn("Label", new KeyType(2, ["a", "b"]))]);

    public ModelPackageTests() => ScaleStep.EnsureRegistered();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void SingleStepRoundTripsSettingsTensorsAndSchema()
    {
        var path = PathOf("m.dlbook");
        _ctx.Model.Save(new ScaleStep("Features", [1.5f, -2f, 1e-7f]), Schema, path);
        var loaded = Assert.IsType<ScaleStep>(_ctx.Model.Load(path, out var schema));
        Assert.Equal("Features", loaded.Column);
        Assert.Equal([1.5f, -2f, 1e-7f], loaded.Scale);
        Assert.Equal(2, schema.Count);
        Assert.Equal(new VectorType([3]), schema["Features"].Type);
        var key = Assert.IsType<KeyType>(schema["Label"].Type);
        Assert.Equal(["a", "b"], key.LabelNames);

        var manifest = ModelPackage.ReadManifest(path);
        Assert.Equal(1, manifest["formatVersion"]!.GetValue<int>());
        Assert.Equal("DlBook.MLNet", manifest["producer"]!.GetValue<string>());
        Assert.Equal(ScaleStep.KindName, manifest["steps"]![0]!["kind"]!.GetValue<string>());
        using var zip = ZipFile.OpenRead(path);
        using var w = zip.GetEntry("weights.safetensors")!.Open();
        using var ms = new MemoryStream();
        w.CopyTo(ms);
        Assert.True(SafeTensors.Read(ms.ToArray()).Tensors.ContainsKey("0.scale"));
    }

    [Fact]
    public void NonPersistableStepFailsNamingItAndWritesNothing()
    {
        var path = PathOf("none.dlbook");
        var e = Assert.Throws<ModelSaveException>(() => ModelPackage.Save(new TestChain(new ScaleStep("F", [1f]), new PlainStep()), Schema, path));
        Assert.Contains("step 1 (PlainStep)", e.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void FailingSaveKeepsTheOldFileAndLeavesNoTemporary()
    {
        var path = PathOf("keep.dlbook");
        ModelPackage.Save(new ScaleStep("F", [3f]), Schema, path);
        var before = File.ReadAllBytes(path);
        Assert.Throws<ModelSaveException>(() => ModelPackage.Save(new ScaleStep("F", [4f]) { FailOnSave = true }, Schema, path));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir));
        Assert.Equal([3f], ((ScaleStep)ModelPackage.Load(_ctx, path, out _)).Scale);
    }

    private string WriteZip(string name, params (string Entry, byte[] Bytes)[] entries)
    {
        var path = PathOf(name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, bytes) in entries)
        {
            using var s = zip.CreateEntry(entry).Open();
            s.Write(bytes);
        }
        return path;
    }

    private (JsonObject Manifest, byte[] Weights) GoodParts()
    {
        var path = PathOf("good-" + Guid.NewGuid().ToString("N") + ".dlbook");
        ModelPackage.Save(new ScaleStep("F", [1f, 2f]), Schema, path);
        using var zip = ZipFile.OpenRead(path);
        var manifest = (JsonObject)JsonNode.Parse(zip.GetEntry("manifest.json")!.Open())!;
        using var ws = zip.GetEntry("weights.safetensors")!.Open();
        using var ms = new MemoryStream();
        ws.CopyTo(ms);
        return (manifest, ms.ToArray());
    }

    private static byte[] Utf8(JsonNode n) => Encoding.UTF8.GetBytes(n.ToJsonString());

    private static byte[] Weights(params KeyValuePair<string, (float[], int[])>[] tensors)
    {
        using var ms = new MemoryStream();
        SafeTensors.Write(ms, tensors);
        return ms.ToArray();
    }

    public static TheoryData<string> BadCases => ["not-zip", "no-manifest", "version", "foreign", "missing-tensor", "wrong-length", "corrupt-header", "no-weights", "bad-json"];

    [Theory]
    [MemberData(nameof(BadCases))]
    public void EveryBadFileGivesModelFormatExceptionNamingThePath(string bad)
    {
        var (manifest, weights) = GoodParts();
        string path;
        string expected;
        switch (bad)
        {
            case "not-zip":
                path = PathOf("a.dlbook");
                File.WriteAllBytes(path, Encoding.ASCII.GetBytes("this is not a zip archive at all, just text"));
                expected = "not a zip";
                break;
            case "no-manifest":
                path = WriteZip("b.dlbook", ("readme.txt", [1, 2, 3]));
                expected = "no 'manifest.json'";
                break;
            case "version":
                manifest["formatVersion"] = 2;
                path = WriteZip("c.dlbook", ("manifest.json", Utf8(manifest)), ("weights.safetensors", weights));
                expected = "format version 2";
                break;
            case "foreign":
                manifest["producer"] = "SomeoneElse";
                path = WriteZip("d.dlbook", ("manifest.json", Utf8(manifest)), ("weights.safetensors", weights));
                expected = "not a DlBook model package";
                break;
            case "missing-tensor":
                path = WriteZip("e.dlbook", ("manifest.json", Utf8(manifest)), ("weights.safetensors", Weights(new KeyValuePair<string, (float[], int[])>("0.other", ([1f], [1])))));
                expected = "'0.scale'";
                break;
            case "wrong-length":
                // Header claims shape [3] over 8 bytes.
                var header = "{\"0.scale\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
                var hb = Encoding.UTF8.GetBytes(header);
                var buf = new byte[8 + hb.Length + 8];
                BitConverter.TryWriteBytes(buf.AsSpan(0, 8), (ulong)hb.Length);
                hb.CopyTo(buf, 8);
                path = WriteZip("f.dlbook", ("manifest.json", Utf8(manifest)), ("weights.safetensors", buf));
                expected = "needs 12";
                break;
            case "corrupt-header":
                weights[8] = (byte)'#';
                weights[9] = (byte)'#';
                path = WriteZip("g.dlbook", ("manifest.json", Utf8(manifest)), ("weights.safetensors", weights));
                expected = "not valid JSON";
                break;
            case "no-weights":
                path = WriteZip("h.dlbook", ("manifest.json", Utf8(manifest)));
                expected = "no 'weights.safetensors'";
                break;
            default:
                path = WriteZip("i.dlbook", ("manifest.json", Encoding.UTF8.GetBytes("{\"formatVersion\": 1,")), ("weights.safetensors", weights));
                expected = "not valid JSON";
                break;
        }
        var e = Assert.Throws<ModelFormatException>(() => _ctx.Model.Load(path, out _));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Equal(path, e.Path);
    }
}

using System.IO.Compression;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Chains;
using DlBook.Trainers.Mlp;
using DlBook.Trainers.Packaging;

namespace DlBook.Trainers.Tests.Mlp;

public sealed class MlpPackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dlbook-mlppkg-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (float[] Scores, uint[] Keys) Score(ITransformer model, IDataView data)
    {
        var scores = new List<float>();
        var keys = new List<uint>();
        foreach (var b in model.Transform(data).GetBatches(new BatchOptions { BatchSize = 256, Columns = ["Score", "PredictedLabel"] }))
        {
            var s = b.Get<FloatColumnData>("Score");
            scores.AddRange(s.Values.AsSpan(0, s.RowCount * s.RowSize).ToArray());
            keys.AddRange(b.Get<KeyColumnData>("PredictedLabel").Keys.AsSpan(0, b.RowCount).ToArray());
        }
        return (scores.ToArray(), keys.ToArray());
    }

    private static TransformerChain<MlpModel> FitChain(DlContext ctx, IDataView raw) =>
        ctx.Transforms.Conversion.MapValueToKey("Label")
            .Append(ctx.Trainers.Mlp(new MlpOptions { HiddenLayers = [30, 20], Epochs = 1, Seed = 3, MonitorGradients = false }))
            .Fit(raw);

    [Fact]
    public void ChainRoundTripsThroughThePackageWithIdenticalPredictions()
    {
        var ctx = new DlContext(seed: 1);
        var raw = ctx.Data.TakeRows(MnistData.RawTrain, 4_000);
        var chain = FitChain(ctx, raw);
        var path = Path.Combine(_dir, "mnist.dlbook");
        ctx.Model.Save(chain, raw.Schema, path);

        var loaded = ctx.Model.Load(path, out var schema);
        var loadedChain = Assert.IsAssignableFrom<ITransformerChain>(loaded);
        Assert.Equal(2, loadedChain.Transformers.Count);
        var mlp = Assert.IsType<MlpModel>(loadedChain.Transformers[^1]);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), mlp.LabelNames!);
        Assert.Equal(["Features", "Label"], schema.Select(c => c.Name));

        var test = ctx.Data.TakeRows(MnistData.RawTest, 1_000);
        var before = Score(chain, test);
        var after = Score(loaded, test);
        Assert.Equal(10_000, before.Scores.Length);
        Assert.Equal(before.Scores, after.Scores);
        Assert.Equal(before.Keys, after.Keys);

        var manifest = ModelPackage.ReadManifest(path);
        Assert.Equal("Mlp", manifest["steps"]![1]!["kind"]!.GetValue<string>());
        Assert.Equal(1, manifest["training"]!["metrics"]!["epochs"]!.GetValue<int>());
        Assert.Equal(30, manifest["training"]!["options"]!["HiddenLayers"]![0]!.GetValue<int>());
    }

    [Fact]
    public void AWeightTensorOfTheWrongLengthIsAModelFormatException()
    {
        var ctx = new DlContext(seed: 1);
        var raw = ctx.Data.TakeRows(MnistData.RawTrain, 1_000);
        var path = Path.Combine(_dir, "m.dlbook");
        ctx.Model.Save(FitChain(ctx, raw), raw.Schema, path);

        // Rewrite the weights with dense2.W one value short.
        Dictionary<string, (float[] Values, int[] Shape)> tensors;
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("weights.safetensors")!;
            using (var s = entry.Open())
            using (var ms = new MemoryStream())
            {
                s.CopyTo(ms);
                tensors = SafeTensors.Read(ms.ToArray()).Tensors;
            }
            entry.Delete();
            var (w, _) = tensors["1.dense2.W"];
            tensors["1.dense2.W"] = (w[..^1], [w.Length - 1]);
            using var o = zip.CreateEntry("weights.safetensors").Open();
            SafeTensors.Write(o, tensors);
        }
        var e = Assert.Throws<ModelFormatException>(() => ctx.Model.Load(path, out _));
        Assert.Contains(path, e.Message);
        Assert.Contains("dense2.W", e.Message);
    }
}

using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Networks;
using DlBook.Pipelines.MlNet;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Reports;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace DlBook.Trainers.Networks;

public sealed partial class NetworkTransformer
{
    /// <summary>The name ML.NET's model zips record for this component (its loader signature).</summary>
    public const string LoaderSignature = "DlBookNetworkTransformer";
    private const string ManifestStream = "manifest.json";
    private const string WeightsStream = "weights.safetensors";
    private const int FormatVersion = 1;

    internal static ComponentVersion Version { get; } = new("DLBNETWK", 0x00010001, 0x00010001, 0x00010001, LoaderSignature,
        typeof(NetworkTransformer).Assembly.GetName().Name!);

    /// <summary>
    /// Saves the transformer into an ML.NET model zip (called by <c>mlContext.Model.Save</c>): the layer specs, label
    /// values and training history as <c>manifest.json</c>, the weights as <c>weights.safetensors</c>, in the
    /// transformer's folder of the zip.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var manifest = Encoding.UTF8.GetBytes(Manifest().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var bytes = NetworkWeights.Write(Model.Network);
        MlNetInternals.Save(ctx, Version,
            w => { w.Write(FormatVersion); w.Write(manifest.Length); w.Write(bytes.Length); },
            new Dictionary<string, Action<BinaryWriter>>
            {
                [ManifestStream] = w => w.Write(manifest),
                [WeightsStream] = w => w.Write(bytes),
            });
    }

    /// <summary>The manifest: what the model reads and writes, its layers and its training.</summary>
    internal JsonObject Manifest() => new()
    {
        ["format"] = "DlBook.NetworkTransformer",
        ["formatVersion"] = FormatVersion,
        ["trainer"] = Trainer.ToString(),
        ["task"] = Outputs.Kind.ToString(),
        ["classes"] = Outputs.Classes,
        ["labelValues"] = Outputs.Labels is { } l ? new JsonObject { ["itemType"] = l.ItemType, ["values"] = new JsonArray(l.Values.Select(v => (JsonNode)v!).ToArray()) } : null,
        ["featureColumn"] = FeatureColumnName,
        ["featureShape"] = JsonSerializer.SerializeToNode(FeatureShape),
        ["sequenceLength"] = SequenceLength,
        ["labelColumn"] = LabelColumnName,
        ["inputShape"] = JsonSerializer.SerializeToNode(Model.InputShape),
        ["outputActivation"] = Model.OutputActivation.ToString(),
        ["loss"] = Model.LossName,
        ["layers"] = JsonSerializer.SerializeToNode(Model.Layers),
        ["training"] = TrainingInfo?.DeepClone(),
        ["history"] = History is null ? null : HistoryJson.ToJson(History),
    };

    /// <summary>Called by ML.NET's <c>Model.Load</c> (registered by <see cref="DlBookComponents.RegisterDlBook(MLContext)"/>).</summary>
    internal static NetworkTransformer Create(IHostEnvironment env, object loadContext)
    {
        var reader = MlNetInternals.BeginLoad(loadContext, Version);
        int format = reader.ReadInt32();
        if (format > FormatVersion)
            throw new ModelFormatException("(ML.NET model zip)", $"its network was saved in format {format}, newer than this DlBook.MLNet reads ({FormatVersion})", "Update DlBook.MLNet.");
        int manifestLength = reader.ReadInt32(), weightsLength = reader.ReadInt32();
        foreach (var (stream, length) in new[] { (ManifestStream, manifestLength), (WeightsStream, weightsLength) })
            if (length < 0)
                throw new ModelFormatException("(ML.NET model zip)", $"the DlBook network's header gives {stream} a negative size ({length})", "Save the model again with mlContext.Model.Save.");
        byte[]? manifest = null, weights = null;
        MlNetInternals.TryLoadStream(loadContext, ManifestStream, r => manifest = ReadStream(r, manifestLength, ManifestStream));
        MlNetInternals.TryLoadStream(loadContext, WeightsStream, r => weights = ReadStream(r, weightsLength, WeightsStream));
        if (manifest?.Length != manifestLength || weights?.Length != weightsLength)
            throw new ModelFormatException("(ML.NET model zip)", $"the DlBook network has no {(manifest is null ? ManifestStream : WeightsStream)}", "Save the model again with mlContext.Model.Save.");
        JsonObject parsed;
        try { parsed = JsonNode.Parse(manifest) as JsonObject ?? throw new JsonException("it is not a JSON object"); }
        catch (JsonException e)
        {
            throw new ModelFormatException("(ML.NET model zip)", $"the DlBook network's {ManifestStream} is not readable JSON ({e.Message})", "Save the model again with mlContext.Model.Save.", e);
        }
        return FromManifest(parsed, weights, "(ML.NET model zip)");
    }

    /// <summary>The <paramref name="length"/> bytes the header promises, never allocating more than the stream holds.</summary>
    private static byte[] ReadStream(BinaryReader r, int length, string stream)
    {
        if (r.BaseStream.CanSeek && r.BaseStream.Length - r.BaseStream.Position != length)
            throw new ModelFormatException("(ML.NET model zip)", $"the DlBook network's {stream} holds {r.BaseStream.Length - r.BaseStream.Position:N0} bytes but its header says {length:N0}",
                "Save the model again with mlContext.Model.Save.");
        return r.ReadBytes(length);
    }

    internal static NetworkTransformer FromManifest(JsonObject m, byte[] weightBytes, string source)
    {
        string Str(string key) => m[key]?.GetValue<string>() ?? throw new ModelFormatException(source, $"its manifest has no '{key}'", "Save the model again.");
        try
        {
            var inputShape = m["inputShape"].Deserialize<int[]>()!;
            var specs = m["layers"].Deserialize<List<LayerSpec>>()!;
            var activation = Enum.Parse<Activation>(Str("outputActivation"));
            var network = new Sequential(specs, inputShape, activation, rng: null);
            NetworkWeights.Read(network, weightBytes, source);
            LabelValues? labels = m["labelValues"] is JsonObject lv
                ? new LabelValues(lv["itemType"]!.GetValue<string>(), lv["values"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray()) : null;
            var outputs = new ScoreColumns(Enum.Parse<PredictionKind>(Str("task")), m["classes"]!.GetValue<int>(), labels);
            return new NetworkTransformer(Enum.Parse<TrainerKind>(Str("trainer")), new NetworkModelParameters(network, Str("loss")),
                Str("featureColumn"), m["featureShape"].Deserialize<int[]>()!, m["labelColumn"]?.GetValue<string>(), outputs,
                m["history"] is JsonObject h ? HistoryJson.FromJson(h) : null, m["training"]?.DeepClone().AsObject(), m["sequenceLength"]?.GetValue<int>());
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException or InvalidDataException or SafeTensorsFormatException)
        {
            throw new ModelFormatException(source, $"its network description cannot be read ({e.Message})", "Save the model again with this version of DlBook.MLNet.", e);
        }
    }

    internal static MethodInfo CreateMethod { get; } = typeof(NetworkTransformer).GetMethod(nameof(Create), BindingFlags.NonPublic | BindingFlags.Static)!;
}

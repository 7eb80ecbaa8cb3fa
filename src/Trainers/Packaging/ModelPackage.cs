using System.IO.Compression;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Chains;

namespace DlBook.Trainers.Packaging;

/// <summary>
/// The <c>.dlbook</c> model package: a zip holding <c>manifest.json</c> (format version, producer,
/// input schema, the chain's steps with their settings, training information) and
/// <c>weights.safetensors</c> (every step's tensors, named "&lt;stepIndex&gt;.&lt;name&gt;").
/// Written atomically.
/// </summary>
public static class ModelPackage
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;
    /// <summary>The producer name in the manifest.</summary>
    public const string Producer = "DlBook.MLNet";
    /// <summary>Manifest entry name.</summary>
    public const string ManifestEntry = "manifest.json";
    /// <summary>Weights entry name.</summary>
    public const string WeightsEntry = "weights.safetensors";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The producer's version (assembly informational version).</summary>
    public static string ProducerVersion { get; } =
        typeof(ModelPackage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// Saves <paramref name="model"/> (a single persistable step or a chain, flattened step by step)
    /// to <paramref name="path"/>. Throws <see cref="ModelSaveException"/> naming a step that cannot be
    /// persisted; nothing is written then.
    /// </summary>
    public static void Save(ITransformer model, DataSchema inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        var steps = Flatten(model).ToList();
        for (int i = 0; i < steps.Count; i++)
            if (steps[i] is not IPersistableTransformer)
                throw new ModelSaveException(
                    $"Cannot save the model to '{path}': step {i} ({steps[i].GetType().Name}) is not persistable (it does not implement IPersistableTransformer). " +
                    "Save a chain whose steps all persist, or leave this step out and re-apply it after loading.");

        var manifestSteps = new JsonArray();
        var tensors = new List<KeyValuePair<string, (float[], int[])>>();
        JsonObject? training = null;
        for (int i = 0; i < steps.Count; i++)
        {
            var step = (IPersistableTransformer)steps[i];
            var context = new TransformerSaveContext();
            try { step.Save(context); }
            catch (Exception e) when (e is not ModelSaveException)
            {
                throw new ModelSaveException($"Cannot save the model to '{path}': step {i} ({step.Kind}) failed to save: {e.Message}", e);
            }
            manifestSteps.Add(new JsonObject
            {
                ["kind"] = step.Kind,
                ["settings"] = context.Settings.DeepClone(),
                ["tensors"] = new JsonArray(context.Tensors.Keys.Select(k => (JsonNode)JsonValue.Create(k)).ToArray()),
            });
            foreach (var (name, value) in context.Tensors) tensors.Add(new($"{i}.{name}", value));
            if (step is ITrainingSummary summary && summary.DescribeTraining() is { } t) training = t;
        }

        var manifest = new JsonObject
        {
            ["formatVersion"] = FormatVersion,
            ["producer"] = Producer,
            ["producerVersion"] = ProducerVersion,
            ["createdUtc"] = DateTime.UtcNow.ToString("O"),
            ["inputSchema"] = SchemaJson.ToJson(inputSchema),
            ["steps"] = manifestSteps,
            ["training"] = training?.DeepClone() ?? new JsonObject(),
        };

        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            using (var m = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal).Open())
                m.Write(Encoding.UTF8.GetBytes(manifest.ToJsonString(Indented)));
            // Weights are stored uncompressed: floats barely compress and readers can then map them directly.
            using var w = zip.CreateEntry(WeightsEntry, CompressionLevel.NoCompression).Open();
            SafeTensors.Write(w, tensors, new Dictionary<string, string> { ["format"] = "dlbook", ["formatVersion"] = FormatVersion.ToString() });
        });
    }

    /// <summary>Reads the manifest of a package (validated: zip, manifest present, producer and format version).</summary>
    public static JsonObject ReadManifest(string path)
    {
        using var zip = OpenZip(path);
        return ReadManifest(zip, path);
    }

    /// <summary>
    /// Loads a package: rebuilds every step through <see cref="TransformerRegistry"/> and returns the
    /// single step or a chain. Every defect of the file gives a <see cref="ModelFormatException"/>.
    /// </summary>
    public static ITransformer Load(DlContext context, string path, out DataSchema inputSchema)
    {
        using var zip = OpenZip(path);
        var manifest = ReadManifest(zip, path);
        var weightsEntry = zip.GetEntry(WeightsEntry)
            ?? throw new ModelFormatException(path, $"the package has no '{WeightsEntry}'", "The file is damaged; re-save the model.");
        Dictionary<string, (float[] Values, int[] Shape)> all;
        try
        {
            using var ws = weightsEntry.Open();
            using var buffer = new MemoryStream();
            ws.CopyTo(buffer);
            all = SafeTensors.Read(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)).Tensors;
        }
        catch (SafeTensorsFormatException e)
        {
            throw new ModelFormatException(path, $"'{WeightsEntry}' is corrupt: {e.Message}", "The file is damaged; re-save or re-train the model.", e);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException(path, $"'{WeightsEntry}' cannot be decompressed ({e.Message})", "The file is damaged; re-save the model.", e);
        }

        try
        {
            inputSchema = SchemaJson.FromJson(manifest["inputSchema"] as JsonArray ?? throw new FormatException("the manifest has no 'inputSchema' array"));
            var stepsNode = manifest["steps"] as JsonArray ?? throw new FormatException("the manifest has no 'steps' array");
            var steps = new List<ITransformer>();
            for (int i = 0; i < stepsNode.Count; i++)
            {
                var step = stepsNode[i] as JsonObject ?? throw new FormatException($"step {i} is not a JSON object");
                string kind = step["kind"]?.GetValue<string>() ?? throw new FormatException($"step {i} has no kind");
                var settings = step["settings"] as JsonObject ?? new JsonObject();
                var prefix = $"{i}.";
                var own = all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                    .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);
                if (step["tensors"] is JsonArray listed)
                    foreach (var n in listed)
                    {
                        var name = n!.GetValue<string>();
                        if (!own.ContainsKey(name))
                            throw new FormatException($"tensor '{prefix}{name}' of step {i} ({kind}) is missing from '{WeightsEntry}'");
                    }
                var load = new TransformerLoadContext(context, kind, (JsonObject)settings.DeepClone(), own, $"{path}, step {i} ({kind})");
                steps.Add(TransformerRegistry.Load(load));
            }
            if (steps.Count == 0) throw new FormatException("the manifest lists no steps");
            return steps.Count == 1 ? steps[0] : ChainOf(steps);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new ModelFormatException(path, e.Message.TrimEnd('.'), "The file is damaged or was written by an incompatible version; re-save or re-train the model.", e);
        }
    }

    private static ITransformer ChainOf(List<ITransformer> steps) => new TransformerChain<ITransformer>([.. steps]);

    internal static IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is ITransformerChain chain ? chain.Transformers.SelectMany(Flatten) : [model];

    private static ZipArchive OpenZip(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist. Check the path, or train and save a model first.", path);
        var stream = File.OpenRead(path);
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException e)
        {
            stream.Dispose();
            throw new ModelFormatException(path, "it is not a zip archive (a .dlbook package is a zip with manifest.json and weights.safetensors)",
                "Pass a model saved with ctx.Model.Save or 'dlbook train'; ONNX files are scored with ApplyOnnxModel instead.", e);
        }
    }

    private static JsonObject ReadManifest(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(ManifestEntry)
            ?? throw new ModelFormatException(path, $"the zip has no '{ManifestEntry}', so it is not a DlBook model package",
                "Pass a model saved with ctx.Model.Save or 'dlbook train'.");
        JsonObject manifest;
        try
        {
            using var s = entry.Open();
            manifest = JsonNode.Parse(s) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new ModelFormatException(path, $"'{ManifestEntry}' is not valid JSON ({e.Message})", "The file is damaged; re-save the model.", e);
        }
        string? producer = manifest["producer"] is JsonValue p && p.TryGetValue<string>(out var ps) ? ps : null;
        if (producer != Producer)
            throw new ModelFormatException(path, $"the manifest's producer is '{producer ?? "(none)"}', not '{Producer}'; this zip is not a DlBook model package",
                "Pass a model saved with ctx.Model.Save or 'dlbook train'.");
        int? version = manifest["formatVersion"] is JsonValue v && v.TryGetValue<int>(out var vi) ? vi : null;
        if (version != FormatVersion)
            throw new ModelFormatException(path, $"package format version {version?.ToString() ?? "(none)"} is not supported (this build reads version {FormatVersion})",
                "Load it with the DlBook.MLNet version that wrote it, or re-save it with this one.");
        return manifest;
    }
}

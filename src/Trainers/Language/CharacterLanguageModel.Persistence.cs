using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Networks;
using DlBook.Pipelines.IO;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Recurrent;

namespace DlBook.Trainers.Language;

public sealed partial class CharacterLanguageModel
{
    private const string Format = "DlBook.CharacterLanguageModel";
    private const int FormatVersion = 1;
    private const string ManifestEntry = "manifest.json";
    private const string WeightsEntry = "weights.safetensors";
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// Writes the model as a zip (through <see cref="AtomicFile"/>, so a reader never sees half a file):
    /// <c>manifest.json</c> with the vocabulary, the window, the layer specs and the training figures, and
    /// <c>weights.safetensors</c> with every parameter.
    /// </summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var manifest = new JsonObject
        {
            ["format"] = Format,
            ["formatVersion"] = FormatVersion,
            ["vocabulary"] = new string(_vocabulary),
            ["sequenceLength"] = SequenceLength,
            ["cell"] = CellType.ToString(),
            ["inputShape"] = JsonSerializer.SerializeToNode(Network.InputShape),
            ["layers"] = JsonSerializer.SerializeToNode(Network.Specs),
            ["training"] = Training is null ? null : JsonSerializer.SerializeToNode(Training, Json),
        };
        var manifestBytes = Encoding.UTF8.GetBytes(manifest.ToJsonString(Json));
        var weights = NetworkWeights.Write(Network);
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, bytes) in new[] { (ManifestEntry, manifestBytes), (WeightsEntry, weights) })
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                entry.Write(bytes);
            }
        });
    }

    /// <summary>Reads a model <see cref="Save"/> wrote.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ModelFormatException">The file is not such a model (or is damaged); the message names it and what is wrong.</exception>
    public static CharacterLanguageModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist. Train one with `dlbook train lm` or CharacterLanguageModel.Save.", path);
        const string remedy = "Pass a model written by `dlbook train lm` or CharacterLanguageModel.Save.";
        try
        {
            using var zip = ZipFile.OpenRead(path);
            byte[] Entry(string name)
            {
                var entry = zip.GetEntry(name) ?? throw new ModelFormatException(path, $"it has no {name}", remedy);
                using var s = entry.Open();
                using var m = new MemoryStream();
                s.CopyTo(m);
                return m.ToArray();
            }
            var manifest = JsonNode.Parse(Entry(ManifestEntry))?.AsObject() ?? throw new ModelFormatException(path, $"its {ManifestEntry} is empty", remedy);
            JsonNode Field(string key) => manifest[key] ?? throw new ModelFormatException(path, $"its manifest has no '{key}'", remedy);
            if (manifest["format"]?.GetValue<string>() != Format)
                throw new ModelFormatException(path, $"it is not a character language model (its manifest's format is '{manifest["format"]}')", remedy);
            int version = Field("formatVersion").GetValue<int>();
            if (version > FormatVersion)
                throw new ModelFormatException(path, $"it was saved in format {version}, newer than this DlBook.MLNet reads ({FormatVersion})", "Update DlBook.MLNet.");
            var vocabulary = Field("vocabulary").GetValue<string>().ToCharArray();
            var specs = Field("layers").Deserialize<List<LayerSpec>>() ?? [];
            var network = new Sequential(specs, Field("inputShape").Deserialize<int[]>() ?? [], Activation.Softmax, rng: null);
            NetworkWeights.Read(network, Entry(WeightsEntry), path);
            if (network.OutputShape[^1] != vocabulary.Length || vocabulary.Distinct().Count() != vocabulary.Length)
                throw new ModelFormatException(path, $"its vocabulary of {vocabulary.Length} characters does not match its output layer of {network.OutputShape[^1]}", remedy);
            return new CharacterLanguageModel(vocabulary, network, Field("sequenceLength").GetValue<int>(),
                Enum.Parse<RecurrentCellType>(Field("cell").GetValue<string>()), manifest["training"].Deserialize<LanguageModelTraining>(Json));
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or ArgumentException or InvalidOperationException or FormatException
                                      or KeyNotFoundException or SafeTensorsFormatException)
        {
            throw new ModelFormatException(path, $"it cannot be read as a character language model ({e.Message})", remedy, e);
        }
    }
}

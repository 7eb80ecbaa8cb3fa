using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace DlBook.Trainers.Options;

/// <summary>
/// Reads a trainer preset (models/*.json): an "options" object with the property names of the trainer's options
/// class, and optional named "variants" that override some of them (e.g. the deeper networks of chapter 34, the deeper
/// CNN). Options not in the file keep the class's defaults.
/// </summary>
public static class Presets
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The options of the preset at <paramref name="path"/>, with <paramref name="variant"/>'s overrides applied when given.</summary>
    /// <exception cref="InvalidDataException">Not JSON, no "options", an unknown option or variant; the message names the file.</exception>
    public static TOptions Load<TOptions>(string path, string? variant = null) where TOptions : NetworkTrainerOptions
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Preset '{path}' does not exist. The book's presets are in models/ (e.g. models/book-mlp.json, models/book-cnn.json).", path);
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new JsonException("the file is not a JSON object");
            var options = (root["options"] as JsonObject ?? throw new JsonException("it has no \"options\" object")).DeepClone().AsObject();
            if (variant is not null)
            {
                var variants = root["variants"] as JsonObject;
                var overrides = variants?[variant] as JsonObject
                    ?? throw new JsonException($"it has no variant '{variant}' (variants: {string.Join(", ", variants?.Select(v => v.Key) ?? [])})");
                foreach (var (key, value) in overrides) options[key] = value?.DeepClone();
            }
            return options.Deserialize<TOptions>(Json) ?? throw new JsonException("\"options\" is null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Preset '{path}': {e.Message}. Fix the file (option names are those of {typeof(TOptions).Name}).", e);
        }
    }
}

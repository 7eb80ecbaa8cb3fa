using System.Globalization;
using System.Text.Json.Serialization;

namespace DlBook.Engine.Layers;

/// <summary>
/// The single description of a layer: its kind, its settings and the names and shapes of its
/// parameters. The engine builds layers from specs, the model package stores them (as JSON) and the
/// ONNX exporter maps them to nodes. Settings are an open string map so new layer kinds
/// (Conv2d, MaxPool2d, LSTM, GRU, …) need no change of format.
/// </summary>
public sealed class LayerSpec
{
    /// <summary>Layer kind, one of <see cref="LayerKinds"/> (e.g. "Dense").</summary>
    public required string Kind { get; init; }

    /// <summary>Unique layer name within a network, e.g. "dense1".</summary>
    public string Name { get; set; } = "";

    /// <summary>Per-sample input shape (without the batch dimension).</summary>
    public int[] InputShape { get; set; } = [];

    /// <summary>Per-sample output shape (without the batch dimension).</summary>
    public int[] OutputShape { get; set; } = [];

    /// <summary>Hyper-parameters as invariant-culture strings (sizes, activation, stride, initialiser, …).</summary>
    public SortedDictionary<string, string> Settings { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Learnable (and running-statistic) tensors of the layer, in a fixed order.</summary>
    public List<ParameterSpec> Parameters { get; init; } = [];

    /// <summary>Sets a setting; returns this spec for chaining.</summary>
    public LayerSpec With(string key, object value)
    {
        Settings[key] = value switch
        {
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            int[] a => string.Join(",", a),
            bool b => b ? "true" : "false",
            IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return this;
    }

    /// <summary>True when the setting is present.</summary>
    public bool Has(string key) => Settings.ContainsKey(key);

    /// <summary>A string setting, or <paramref name="fallback"/> when absent.</summary>
    public string GetString(string key, string? fallback = null) =>
        Settings.TryGetValue(key, out var v) ? v : fallback ?? throw Missing(key);

    /// <summary>An integer setting.</summary>
    public int GetInt(string key, int? fallback = null) =>
        Settings.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback ?? throw Missing(key);

    /// <summary>A float setting.</summary>
    public float GetFloat(string key, float? fallback = null) =>
        Settings.TryGetValue(key, out var v) ? float.Parse(v, CultureInfo.InvariantCulture) : fallback ?? throw Missing(key);

    /// <summary>A boolean setting.</summary>
    public bool GetBool(string key, bool? fallback = null) =>
        Settings.TryGetValue(key, out var v) ? v == "true" : fallback ?? throw Missing(key);

    /// <summary>An integer-list setting ("3,3").</summary>
    public int[] GetInts(string key, int[]? fallback = null) =>
        Settings.TryGetValue(key, out var v)
            ? (v.Length == 0 ? [] : v.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray())
            : fallback ?? throw Missing(key);

    /// <summary>Number of learnable scalars.</summary>
    [JsonIgnore]
    public long ParameterCount => Parameters.Sum(p => (long)Tensors.Tensor.ComputeLength(p.Shape));

    private InvalidDataException Missing(string key) =>
        new($"Layer '{Name}' ({Kind}) has no setting '{key}'. The model description is incomplete; re-create or re-export it.");
}

using DlBook.Engine.Networks;

namespace DlBook.Trainers.Packaging;

/// <summary>
/// A network's parameters as one safetensors file, each tensor named "{layer}.{parameter}" (e.g. "lstm1.W"): what every
/// model this library saves stores as its weights, whatever holds the layer specs beside them.
/// </summary>
public static class NetworkWeights
{
    /// <summary>The safetensors bytes of every parameter of <paramref name="network"/>, in layer order.</summary>
    public static byte[] Write(Sequential network)
    {
        ArgumentNullException.ThrowIfNull(network);
        using var weights = new MemoryStream();
        SafeTensors.Write(weights, network.Layers.SelectMany(l => l.Parameters.Select(p =>
            KeyValuePair.Create($"{l.Spec.Name}.{p.Name}", (p.Value.Span.ToArray(), p.Value.ShapeArray)))),
            new Dictionary<string, string> { ["format"] = "DlBook.MLNet network weights" });
        return weights.ToArray();
    }

    /// <summary>Copies the tensors of <paramref name="safeTensors"/> into the parameters of <paramref name="network"/> (built from the same specs).</summary>
    /// <exception cref="ModelFormatException">A tensor is missing or has the wrong size; the message names it and <paramref name="source"/>.</exception>
    /// <exception cref="SafeTensorsFormatException">The bytes are not a safetensors file.</exception>
    public static void Read(Sequential network, ReadOnlySpan<byte> safeTensors, string source)
    {
        ArgumentNullException.ThrowIfNull(network);
        var (tensors, _) = SafeTensors.Read(safeTensors);
        foreach (var layer in network.Layers)
            foreach (var p in layer.Parameters)
            {
                string name = $"{layer.Spec.Name}.{p.Name}";
                if (!tensors.TryGetValue(name, out var t) || t.Values.Length != p.Value.Length)
                    throw new ModelFormatException(source, $"tensor '{name}' is missing or has the wrong size (layer '{layer.Spec.Name}' needs {p.Value.ShapeString})", "Save the model again.");
                t.Values.AsSpan().CopyTo(p.Value.Span);
            }
    }
}

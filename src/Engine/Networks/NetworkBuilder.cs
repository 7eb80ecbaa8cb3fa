using DlBook.Engine.Activations;
using DlBook.Engine.Layers;

namespace DlBook.Engine.Networks;

/// <summary>Spec lists for the common networks.</summary>
public static class NetworkBuilder
{
    /// <summary>
    /// A multi-layer perceptron: per hidden layer Dense → [BatchNorm1d] → Activation → [Dropout], then the
    /// output Dense producing logits. Names are "dense1", "bn1", "act1", "dropout1", …, "dense{n+1}".
    /// </summary>
    /// <param name="inputSize">Values per input sample.</param>
    /// <param name="hidden">Units per hidden layer (e.g. [30] for the book's [784,30,10]).</param>
    /// <param name="outputs">Output units (classes).</param>
    /// <param name="hiddenActivation">Hidden non-linearity (the book: Sigmoid).</param>
    /// <param name="init">Weight initialiser name (the book: "Normal1OverFanIn").</param>
    /// <param name="biasInit">Bias initialiser name (the book: "StandardNormal").</param>
    /// <param name="dropout">Dropout rate after each hidden activation (0 = none).</param>
    /// <param name="batchNorm">Batch normalisation between each hidden Dense and its activation.</param>
    public static List<LayerSpec> Mlp(int inputSize, IReadOnlyList<int> hidden, int outputs, Activation hiddenActivation,
        string init, string biasInit, float dropout = 0, bool batchNorm = false)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The input size must be > 0.");
        if (outputs <= 0) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "The number of outputs must be > 0.");
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Dropout must be in [0, 1).");
        if (ActivationFunctions.IsRowWise(hiddenActivation))
            throw new ArgumentException($"{hiddenActivation} is an output activation, not a hidden one.", nameof(hiddenActivation));
        var specs = new List<LayerSpec>();
        for (int i = 0; i < hidden.Count; i++)
        {
            if (hidden[i] <= 0) throw new ArgumentOutOfRangeException(nameof(hidden), hidden[i], $"Hidden layer {i + 1} needs at least one unit.");
            int n = i + 1;
            specs.Add(Dense($"dense{n}", hidden[i], init, biasInit));
            if (batchNorm) specs.Add(new LayerSpec { Kind = LayerKinds.BatchNorm1d, Name = $"bn{n}" });
            specs.Add(new LayerSpec { Kind = LayerKinds.Activation, Name = $"act{n}" }.With("activation", hiddenActivation.ToString()));
            if (dropout > 0) specs.Add(new LayerSpec { Kind = LayerKinds.Dropout, Name = $"dropout{n}" }.With("rate", dropout));
        }
        specs.Add(Dense($"dense{hidden.Count + 1}", outputs, init, biasInit));
        return specs;
    }

    /// <summary>
    /// The prefix of automatic layer names for a kind ("dense", "act", "dropout", "bn" (both batch norms), "rnn", "lstm",
    /// "gru", "embedding", "tdense", "conv", "maxpool", "avgpool", "gap", "flatten", "sdropout", else the lower-case kind).
    /// </summary>
    public static string NamePrefix(string kind) => kind switch
    {
        LayerKinds.Dense => "dense",
        LayerKinds.Activation => "act",
        LayerKinds.Dropout => "dropout",
        LayerKinds.BatchNorm1d => "bn",
        LayerKinds.SimpleRnn => "rnn",
        LayerKinds.Lstm => "lstm",
        LayerKinds.Gru => "gru",
        LayerKinds.Embedding => "embedding",
        LayerKinds.TimeDistributedDense => "tdense",
        LayerKinds.Conv2d => "conv",
        LayerKinds.MaxPool2d => "maxpool",
        LayerKinds.AvgPool2d => "avgpool",
        LayerKinds.GlobalAvgPool2d => "gap",
        LayerKinds.BatchNorm2d => "bn",
        LayerKinds.Flatten => "flatten",
        LayerKinds.SpatialDropout2d => "sdropout",
        _ => kind.ToLowerInvariant(),
    };

    private static LayerSpec Dense(string name, int units, string init, string biasInit) =>
        new LayerSpec { Kind = LayerKinds.Dense, Name = name }.With("units", units).With("init", init).With("biasInit", biasInit);
}

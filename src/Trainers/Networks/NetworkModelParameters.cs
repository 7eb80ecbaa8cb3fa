using System.Collections.Concurrent;
using System.Text.Json;
using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Networks;
using DlBook.Engine.Tensors;

namespace DlBook.Trainers.Networks;

/// <summary>
/// A trained network — its layer specs and weights — as the model of a <see cref="NetworkTransformer"/> (what ML.NET
/// calls the model parameters of a prediction transformer). Inference is thread-safe: each caller runs on an
/// inference copy of the network taken from a pool, since a network's layers own their activation buffers.
/// </summary>
public sealed class NetworkModelParameters
{
    private readonly Sequential _network;
    private readonly ConcurrentBag<Sequential> _pool = [];

    internal NetworkModelParameters(Sequential network, string lossName)
    {
        _network = network;
        LossName = lossName;
    }

    /// <summary>The layers up to the logits, each spec complete (shapes, parameters).</summary>
    public IReadOnlyList<LayerSpec> Layers => _network.Specs;
    /// <summary>Per-sample input shape.</summary>
    public int[] InputShape => (int[])_network.InputShape.Clone();
    /// <summary>Outputs per sample (classes, or 1).</summary>
    public int OutputSize => _network.OutputSize;
    /// <summary>The activation turning logits into outputs (Softmax, Sigmoid, Identity).</summary>
    public Activation OutputActivation => _network.OutputActivation;
    /// <summary>The cost the network was trained with.</summary>
    public string LossName { get; }
    /// <summary>Learnable values (weights and biases; running statistics excluded).</summary>
    public long ParameterCount => _network.Layers.SelectMany(l => l.Parameters).Where(p => !IsStatistic(p.Name)).Sum(p => (long)p.Value.Length);

    /// <summary>The network itself (not thread-safe: do not run it while the model scores elsewhere).</summary>
    public Sequential Network => _network;

    /// <summary>A parameter's values by layer name and parameter name ("dense1", "W").</summary>
    /// <exception cref="KeyNotFoundException">No such layer or parameter; the message lists what there is.</exception>
    public Tensor GetParameter(string layerName, string parameterName)
    {
        var layer = _network.Layer(layerName);
        return layer.Parameters.FirstOrDefault(p => p.Name == parameterName)?.Value
            ?? throw new KeyNotFoundException($"Layer '{layerName}' has no parameter '{parameterName}'. It has: {string.Join(", ", layer.Parameters.Select(p => p.Name))}.");
    }

    /// <summary>Activated outputs for x: [batch, ..InputShape] → [batch, OutputSize] (a new tensor; thread-safe).</summary>
    public Tensor Predict(Tensor input)
    {
        var net = Rent();
        try { return net.Predict(input).Clone(); }
        finally { Return(net); }
    }

    /// <summary>Logits (pre-activation outputs) for x: [batch, ..InputShape] → [batch, OutputSize] (a new tensor; thread-safe).</summary>
    public Tensor Logits(Tensor input)
    {
        var net = Rent();
        try { return net.Forward(input, training: false).Clone(); }
        finally { Return(net); }
    }

    /// <summary>An inference copy of the network for one caller; give it back with <see cref="Return"/>.</summary>
    internal Sequential Rent()
    {
        if (_pool.TryTake(out var net)) return net;
        var specs = JsonSerializer.Deserialize<List<LayerSpec>>(JsonSerializer.Serialize(_network.Specs))!;
        net = new Sequential(specs, _network.InputShape, _network.OutputActivation, rng: null);
        for (int i = 0; i < net.Parameters.Count; i++) _network.Parameters[i].Value.Span.CopyTo(net.Parameters[i].Value.Span);
        return net;
    }

    internal void Return(Sequential net)
    {
        if (_pool.Count < Environment.ProcessorCount * 2) _pool.Add(net);
    }

    /// <summary>Drops the inference copies (after the weights changed, e.g. a checkpoint of a network still training).</summary>
    internal void ResetPool() => _pool.Clear();

    private static bool IsStatistic(string name) => name is "runningMean" or "runningVar";
}

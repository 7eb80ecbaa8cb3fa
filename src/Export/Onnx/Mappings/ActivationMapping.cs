using DlBook.Engine.Activations;
using DlBook.Engine.Layers;

namespace DlBook.Export.Onnx.Mappings;

/// <summary>
/// Activation → Relu, Sigmoid, Tanh, LeakyRelu(alpha), Elu(alpha), Softmax or LogSoftmax over the last
/// axis, or Identity. Also used for a network's output activation.
/// </summary>
public sealed class ActivationMapping : IOnnxLayerMapping
{
    /// <inheritdoc />
    public string Kind => LayerKinds.Activation;

    /// <inheritdoc />
    public string Emit(OnnxGraphContext graph, LayerSpec layer, string input)
    {
        var text = layer.GetString("activation");
        if (!Enum.TryParse<Activation>(text, ignoreCase: true, out var activation))
            throw new OnnxExportException($"Layer '{layer.Name}' (Activation): unknown activation '{text}'. Known: {string.Join(", ", Enum.GetNames<Activation>())}.");
        float? alpha = layer.Has("alpha") ? layer.GetFloat("alpha") : null;
        // The engine normalises over all of a sample's values ([C, H, W] feature maps included); ONNX over one axis.
        if (activation is Activation.Softmax or Activation.LogSoftmax)
            return FlatSample.Apply(graph, layer.Name, layer.InputShape, input, flat => EmitActivation(graph, activation, alpha, flat, null, layer.Name));
        return EmitActivation(graph, activation, alpha, input, null, layer.Name);
    }

    /// <summary>
    /// Emits <paramref name="activation"/> applied to <paramref name="input"/>; the result is named
    /// <paramref name="output"/> when given. Alpha defaults as the engine's do (LeakyRelu 0.01, Elu 1).
    /// </summary>
    public static string EmitActivation(OnnxGraphContext graph, Activation activation, float? alpha, string input,
        string? output, string nodeName)
    {
        var outName = output ?? graph.UniqueName($"{nodeName}.out");
        return activation switch
        {
            Activation.Identity => graph.AddNode("Identity", [input], outName, nodeName),
            Activation.Sigmoid => graph.AddNode("Sigmoid", [input], outName, nodeName),
            Activation.Tanh => graph.AddNode("Tanh", [input], outName, nodeName),
            Activation.Relu => graph.AddNode("Relu", [input], outName, nodeName),
            Activation.LeakyRelu => graph.AddNode("LeakyRelu", [input], outName, nodeName, OnnxAttribute.Float("alpha", alpha ?? 0.01f)),
            Activation.Elu => graph.AddNode("Elu", [input], outName, nodeName, OnnxAttribute.Float("alpha", alpha ?? 1f)),
            // Row-wise over the feature axis of [batch, n] (Emit flattens a shaped sample first).
            Activation.Softmax => graph.AddNode("Softmax", [input], outName, nodeName, OnnxAttribute.Int("axis", -1)),
            Activation.LogSoftmax => graph.AddNode("LogSoftmax", [input], outName, nodeName, OnnxAttribute.Int("axis", -1)),
            _ => throw new OnnxExportException($"Activation '{activation}' of '{nodeName}' has no ONNX mapping."),
        };
    }
}

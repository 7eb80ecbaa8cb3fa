using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Tensors;
using DlBook.Pipelines.Core;

namespace DlBook.Trainers.Models;

/// <summary>
/// A trained network as a pipeline step: what model save/load, ONNX export and the CLI read.
/// MLP, CNN and recurrent models all implement it.
/// </summary>
public interface INetworkModel : IPersistableTransformer
{
    /// <summary>"MulticlassClassification", "BinaryClassification" or "Regression".</summary>
    string Task { get; }

    /// <summary>Input column (e.g. "Features").</summary>
    string FeatureColumnName { get; }

    /// <summary>Per-sample input shape (e.g. [784]).</summary>
    int[] InputShape { get; }

    /// <summary>The layers up to the pre-activation of the output ("logits"), each spec complete (shapes, parameters).</summary>
    IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>Activation turning logits into the Score column (Softmax, Sigmoid, Identity).</summary>
    Activation OutputActivation { get; }

    /// <summary>Parameter values by layer name and parameter name, in spec order.</summary>
    Tensor GetParameter(string layerName, string parameterName);

    /// <summary>Class names (index ↔ key), or null for regression.</summary>
    IReadOnlyList<string>? LabelNames { get; }

    /// <summary>Output column with the activated outputs (ML.NET: "Score").</summary>
    string ScoreColumnName { get; }

    /// <summary>Output column with the predicted key (ML.NET: "PredictedLabel"); null for regression.</summary>
    string? PredictedLabelColumnName { get; }

    /// <summary>Runs the network on a batch of raw inputs x: [batch, ..InputShape] → activated outputs [batch, outputs] (the engine's own inference; export parity compares with it).</summary>
    Tensor Predict(Tensor input);
}

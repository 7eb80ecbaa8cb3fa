using DlBook.Engine.Activations;
using DlBook.Engine.Layers;
using DlBook.Engine.Networks;
using DlBook.Engine.Tensors;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Trainers.Models;

namespace DlBook.Export.Onnx;

/// <summary>An engine <see cref="Sequential"/> seen as an <see cref="INetworkModel"/>, so a network built without a trainer can be exported.</summary>
internal sealed class SequentialNetworkModel(Sequential network, string task, IReadOnlyList<string>? labelNames, string featureColumn) : INetworkModel
{
    public string Kind => "Sequential";
    public string Task => task;
    public string FeatureColumnName => featureColumn;
    public int[] InputShape => network.InputShape;
    public IReadOnlyList<LayerSpec> Layers => network.Specs;
    public Activation OutputActivation => network.OutputActivation;
    public IReadOnlyList<string>? LabelNames => labelNames;
    public string ScoreColumnName => "Score";
    public string? PredictedLabelColumnName => task == "Regression" ? null : "PredictedLabel";

    public Tensor GetParameter(string layerName, string parameterName) =>
        network.Layer(layerName).Parameters.FirstOrDefault(p => p.Name == parameterName)?.Value
        ?? throw new OnnxExportException($"Layer '{layerName}' has no parameter '{parameterName}'.");

    public Tensor Predict(Tensor input) => network.Predict(input);

    public void Save(TransformerSaveContext context) =>
        throw new NotSupportedException("A bare Sequential is exported, not saved; train it with a trainer to get a persistable model.");

    public DataSchema GetOutputSchema(DataSchema inputSchema) => inputSchema;

    public IDataView Transform(IDataView input) =>
        throw new NotSupportedException("A bare Sequential does not transform data views; use its ONNX export with ApplyOnnxModel.");
}

using System.Text.Json.Nodes;
using DlBook.Pipelines.Bridge;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Packaging;
using DlBook.Trainers.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Trainers.Networks;

/// <summary>
/// A trained network as an ML.NET prediction transformer: <see cref="Transform"/> adds the columns ML.NET's own
/// trainers of the task add (<see cref="ScoreColumns"/>), lazily, row by row; <see cref="GetRowToRowMapper"/> serves
/// <c>CreatePredictionEngine</c>. One fitted transformer serves many threads (a PredictionEngine per thread,
/// concurrent Transforms): each cursor scores on its own inference copy of the network. It is saved inside ML.NET
/// model zips by <c>mlContext.Model.Save</c> (see <see cref="DlBookComponents.RegisterDlBook(MLContext)"/> for loading).
/// </summary>
public sealed partial class NetworkTransformer : ISingleFeaturePredictionTransformer<NetworkModelParameters>, ICanSaveModel
{
    internal NetworkTransformer(TrainerKind trainer, NetworkModelParameters model, string featureColumnName, int[] featureShape,
        string? labelColumnName, ScoreColumns outputs, TrainingHistory? history, JsonObject? trainingInfo, int? sequenceLength = null)
    {
        SequenceLength = sequenceLength;
        Trainer = trainer;
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureShape = featureShape;
        LabelColumnName = labelColumnName;
        Outputs = outputs;
        History = history;
        TrainingInfo = trainingInfo;
        outputs.CheckOutputs(model.OutputSize);
        int size = featureShape.Aggregate(1, (a, b) => a * b);
        FeatureColumnType = new VectorDataViewType(NumberDataViewType.Single, featureShape.Length > 1 ? featureShape : [size]);
    }

    /// <summary>The trainer that made it.</summary>
    public TrainerKind Trainer { get; }
    /// <summary>The trained network.</summary>
    public NetworkModelParameters Model { get; }
    /// <summary>The feature column read.</summary>
    public string FeatureColumnName { get; }
    /// <summary>Vector&lt;Single&gt; of the network's input size.</summary>
    public DataViewType FeatureColumnType { get; }
    /// <summary>When set, the feature column holds token ids of any length, read as this many (see <see cref="TokenSequences"/>).</summary>
    public int? SequenceLength { get; }
    /// <summary>Per-row shape of the features.</summary>
    public int[] FeatureShape { get; }
    /// <summary>The label column trained on (null when unknown).</summary>
    public string? LabelColumnName { get; }
    /// <summary>The columns added, their task and the label's values.</summary>
    public ScoreColumns Outputs { get; }
    /// <summary>Per-epoch record of the training: losses, accuracies, learning speeds per layer.</summary>
    public TrainingHistory? History { get; }
    /// <summary>The options, seed and metrics of the training run, as JSON (saved with the model).</summary>
    public JsonObject? TrainingInfo { get; }
    /// <summary>Class names (key order), or null for regression.</summary>
    public IReadOnlyList<string>? LabelNames => Outputs.Labels?.Names;
    /// <inheritdoc />
    public bool IsRowToRowMapper => true;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return Outputs.OutputSchema(inputSchema);
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new PredictionDataView(this, input);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new PredictionRowMapper(this, inputSchema);

    /// <summary>The feature column's index in <paramref name="schema"/>; throws naming the column and the fix when it does not fit.</summary>
    internal int CheckInput(DataViewSchema schema)
    {
        var shape = ColumnChecks.Feature(schema, new BridgeColumns(FeatureColumnName, null, LabelKind.None, "The model", SequenceLength));
        int size = shape.Aggregate(1, (a, b) => a * b);
        if (size != Model.InputShape.Aggregate(1, (a, b) => a * b))
            throw new SchemaException($"The model reads feature column '{FeatureColumnName}' as Vector<Single, {string.Join(", ", FeatureShape)}>, " +
                $"but it is {ColumnChecks.Describe(schema[FeatureColumnName].Type)}. Prepare the data with the transforms the model was trained after.");
        return schema[FeatureColumnName].Index;
    }
}

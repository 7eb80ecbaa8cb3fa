using DlBook.Pipelines.Data;
using DlBook.Pipelines.Evaluation;

namespace DlBook.Pipelines.Catalogs;

public sealed partial class BinaryClassificationCatalog
{
    /// <summary>
    /// Evaluates scored data (ML.NET's Evaluate of a calibrated binary classifier): <paramref name="labelColumnName"/> a
    /// Key(2) (key 1 = positive) or a scalar 0/1; <paramref name="scoreColumnName"/> the probability of the positive class
    /// (a scalar, or element 1 of a 2-element vector); <paramref name="predictedLabelColumnName"/> a Key(2) or scalar 0/1
    /// (probability &gt; 0.5 when the column is absent). LogLoss is in bits, as in ML.NET.
    /// </summary>
    public BinaryClassificationMetrics Evaluate(IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score",
        string predictedLabelColumnName = "PredictedLabel")
    {
        ArgumentNullException.ThrowIfNull(data);
        const string who = "BinaryClassification.Evaluate";
        var label = data.Schema[labelColumnName];
        if (label.Type is KeyType { Count: not 2 } k)
            throw new SchemaException($"{who}: label column '{labelColumnName}' has {k.Count} classes; binary evaluation needs 2 (use MulticlassClassification.Evaluate).");
        var score = data.Schema[scoreColumnName];
        int element = score.Type switch
        {
            ScalarType => 0,
            VectorType { Size: 1 } => 0,
            VectorType { Size: 2 } => 1,
            _ => throw new SchemaException($"{who}: score column '{scoreColumnName}' is {score.Type.Describe()}; it must be the probability of the positive class (a scalar)."),
        };
        bool hasPredicted = data.Schema.GetColumnOrNull(predictedLabelColumnName) is not null;
        var columns = hasPredicted ? new[] { labelColumnName, scoreColumnName, predictedLabelColumnName } : [labelColumnName, scoreColumnName];
        var values = EvaluationColumns.Read(data, columns.Distinct().ToArray());
        var labels = EvaluationColumns.Booleans(values[labelColumnName], labelColumnName, who);
        var probabilities = EvaluationColumns.Floats(values[scoreColumnName], scoreColumnName, who, element);
        var predicted = hasPredicted ? EvaluationColumns.Booleans(values[predictedLabelColumnName], predictedLabelColumnName, who) : null;
        var names = (label.Type as KeyType)?.LabelNames;
        return BinaryClassificationMetrics.Compute(labels, probabilities, predicted, names?.Count == 2 ? names : null);
    }
}

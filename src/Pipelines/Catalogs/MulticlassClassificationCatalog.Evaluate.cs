using DlBook.Pipelines.Data;
using DlBook.Pipelines.Evaluation;

namespace DlBook.Pipelines.Catalogs;

public sealed partial class MulticlassClassificationCatalog
{
    /// <summary>
    /// Evaluates scored data (ML.NET's Evaluate): <paramref name="labelColumnName"/> a key (or a scalar holding class
    /// indices), <paramref name="scoreColumnName"/> a vector of class probabilities, <paramref name="predictedLabelColumnName"/>
    /// a key (argmax of the scores when the column is absent). <paramref name="topKPredictionCount"/> &gt; 0 also computes top-k accuracy.
    /// </summary>
    public MulticlassClassificationMetrics Evaluate(IDataView data, string labelColumnName = "Label", string scoreColumnName = "Score",
        string predictedLabelColumnName = "PredictedLabel", int topKPredictionCount = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        const string who = "MulticlassClassification.Evaluate";
        var label = data.Schema[labelColumnName];
        var score = data.Schema[scoreColumnName];
        if (score.Type is not VectorType scoreType)
            throw new SchemaException($"{who}: score column '{scoreColumnName}' is {score.Type.Describe()}; it must be a vector of class probabilities.");
        int classes = scoreType.Size;
        if (label.Type is KeyType lk && lk.Count != classes)
            throw new SchemaException($"{who}: label column '{labelColumnName}' has {lk.Count} classes but score column '{scoreColumnName}' has {classes}.");
        if (label.Type is not (KeyType or ScalarType))
            throw new SchemaException($"{who}: label column '{labelColumnName}' is {label.Type.Describe()}; it must be a key. Use Conversion.MapValueToKey.");
        bool hasPredicted = data.Schema.GetColumnOrNull(predictedLabelColumnName) is not null;
        var columns = hasPredicted ? new[] { labelColumnName, scoreColumnName, predictedLabelColumnName } : [labelColumnName, scoreColumnName];
        var values = EvaluationColumns.Read(data, columns.Distinct().ToArray());
        var labels = EvaluationColumns.Classes(values[labelColumnName], labelColumnName, classes, who);
        var scores = EvaluationColumns.Concat(values[scoreColumnName], scoreColumnName, who);
        var predicted = hasPredicted ? EvaluationColumns.Classes(values[predictedLabelColumnName], predictedLabelColumnName, classes, who) : null;
        var names = (label.Type as KeyType)?.LabelNames ?? (data.Schema.GetColumnOrNull(predictedLabelColumnName)?.Type as KeyType)?.LabelNames;
        return MulticlassClassificationMetrics.Compute(labels, scores, classes, predicted, topKPredictionCount,
            names?.Count == classes ? names : null);
    }
}

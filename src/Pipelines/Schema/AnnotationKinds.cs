namespace DlBook.Pipelines.Schema;

/// <summary>The annotation names ML.NET's scorers and evaluators use (ML.NET keeps its constants internal).</summary>
public static class AnnotationKinds
{
    /// <summary>Names of a vector's slots (class names on a multiclass Score).</summary>
    public const string SlotNames = "SlotNames";
    /// <summary>The values behind a key type.</summary>
    public const string KeyValues = "KeyValues";
    /// <summary>Id shared by the columns of one scorer.</summary>
    public const string ScoreColumnSetId = "ScoreColumnSetId";
    /// <summary>"MulticlassClassification", "BinaryClassification", "Regression".</summary>
    public const string ScoreColumnKind = "ScoreColumnKind";
    /// <summary>"Score", "Probability", "PredictedLabel".</summary>
    public const string ScoreValueKind = "ScoreValueKind";
    /// <summary>The label's values at training time (on Score).</summary>
    public const string TrainingLabelValues = "TrainingLabelValues";
    /// <summary>True on a column in [0, 1] (Probability).</summary>
    public const string IsNormalized = "IsNormalized";
}

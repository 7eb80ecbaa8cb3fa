namespace DlBook.Pipelines.Schema;

/// <summary>The task of a trained network, which decides its output columns (as ML.NET's trainers of that task add them).</summary>
public enum PredictionKind
{
    /// <summary>Score (a vector of class scores) and PredictedLabel (a key).</summary>
    MulticlassClassification,
    /// <summary>Score (the raw margin), Probability and PredictedLabel (a Boolean).</summary>
    BinaryClassification,
    /// <summary>Score (the predicted value).</summary>
    Regression,
}

namespace DlBook.Trainers.Mlp;

/// <summary>The tasks an MLP trains for (the values of <see cref="MlpOptions.Task"/> and <c>INetworkModel.Task</c>).</summary>
public static class MlpTasks
{
    /// <summary>Key label, softmax or sigmoid outputs, one per class.</summary>
    public const string Multiclass = "MulticlassClassification";
    /// <summary>0/1 label, one sigmoid output.</summary>
    public const string Binary = "BinaryClassification";
    /// <summary>Float label, one linear output.</summary>
    public const string Regression = "Regression";
}

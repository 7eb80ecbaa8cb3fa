using DlBook.Pipelines.MlNet;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Cnn;

// In ML.NET's namespace, as ML.NET's own extension packages declare theirs: `using Microsoft.ML;` finds them.
namespace Microsoft.ML;

/// <summary>The CNN trainer on ML.NET's catalogs: <c>mlContext.BinaryClassification.Trainers.Cnn(options)</c>, …</summary>
public static class CnnCatalogExtensions
{
    /// <summary>A binary image classifier (one sigmoid output, the book's dogs-vs-cats net by default): a Boolean label or a two-valued key; adds Score, Probability and PredictedLabel.</summary>
    public static CnnTrainer Cnn(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, CnnOptions? options = null) =>
        new(MlNetInternals.EnvironmentOf(catalog ?? throw new ArgumentNullException(nameof(catalog))), PredictionKind.BinaryClassification, options ?? new CnnOptions());

    /// <summary>A multiclass image classifier (softmax outputs): a Key label; adds Score and PredictedLabel (a key).</summary>
    public static CnnTrainer Cnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, CnnOptions? options = null) =>
        new(MlNetInternals.EnvironmentOf(catalog ?? throw new ArgumentNullException(nameof(catalog))), PredictionKind.MulticlassClassification, options ?? new CnnOptions());
}

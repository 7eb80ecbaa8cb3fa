using DlBook.Pipelines.MlNet;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Recurrent;

// In ML.NET's namespace, as ML.NET's own extension packages declare theirs: `using Microsoft.ML;` finds them.
namespace Microsoft.ML;

/// <summary>The recurrent trainer on ML.NET's catalogs: <c>mlContext.Regression.Trainers.Recurrent(options)</c>, …</summary>
public static class RecurrentCatalogExtensions
{
    /// <summary>A multiclass RNN/LSTM/GRU: a Key label; adds Score (class probabilities) and PredictedLabel (a key).</summary>
    public static RecurrentTrainer Recurrent(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, RecurrentOptions? options = null) =>
        new(MlNetInternals.EnvironmentOf(catalog ?? throw new ArgumentNullException(nameof(catalog))), PredictionKind.MulticlassClassification, options ?? new RecurrentOptions());

    /// <summary>A binary RNN/LSTM/GRU (one sigmoid output): a Boolean label; adds Score, Probability and PredictedLabel.</summary>
    public static RecurrentTrainer Recurrent(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, RecurrentOptions? options = null) =>
        new(MlNetInternals.EnvironmentOf(catalog ?? throw new ArgumentNullException(nameof(catalog))), PredictionKind.BinaryClassification, options ?? new RecurrentOptions());

    /// <summary>A regression RNN/LSTM/GRU (one linear output, quadratic cost): a Single label; adds Score.</summary>
    public static RecurrentTrainer Recurrent(this RegressionCatalog.RegressionTrainers catalog, RecurrentOptions? options = null) =>
        new(MlNetInternals.EnvironmentOf(catalog ?? throw new ArgumentNullException(nameof(catalog))), PredictionKind.Regression, options ?? new RecurrentOptions());
}

using DlBook.Pipelines.MlNet;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Mlp;

// In ML.NET's namespace, as ML.NET's own extension packages (LightGbm, TorchSharp) declare theirs: `using Microsoft.ML;` finds them.
namespace Microsoft.ML;

/// <summary>The MLP trainer on ML.NET's catalogs: <c>mlContext.MulticlassClassification.Trainers.Mlp(options)</c>, …</summary>
public static class MlpCatalogExtensions
{
    /// <summary>A multiclass MLP: a Key label, a Vector&lt;Single&gt; feature column; adds Score (class scores) and PredictedLabel (a key).</summary>
    public static MlpTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, MlpOptions? options = null) =>
        new(MlNetInternals.EnvironmentOf(catalog ?? throw new ArgumentNullException(nameof(catalog))), PredictionKind.MulticlassClassification, options ?? new MlpOptions());

    /// <summary>A binary MLP (one sigmoid output): a Boolean label (or a two-valued key); adds Score (the margin), Probability and PredictedLabel.</summary>
    public static MlpTrainer Mlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, MlpOptions? options = null) =>
        new(MlNetInternals.EnvironmentOf(catalog ?? throw new ArgumentNullException(nameof(catalog))), PredictionKind.BinaryClassification, options ?? new MlpOptions());

    /// <summary>A regression MLP (one linear output, quadratic cost): a Single label; adds Score.</summary>
    public static MlpTrainer Mlp(this RegressionCatalog.RegressionTrainers catalog, MlpOptions? options = null) =>
        new(MlNetInternals.EnvironmentOf(catalog ?? throw new ArgumentNullException(nameof(catalog))), PredictionKind.Regression, options ?? new MlpOptions());
}

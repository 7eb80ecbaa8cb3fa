using DlBook.Pipelines.Core;

namespace DlBook.Pipelines.Transforms.Chains;

/// <summary>Lets Append inline the steps of a chain whatever its last transformer type.</summary>
internal interface IEstimatorChain
{
    IReadOnlyList<IEstimator<ITransformer>> Estimators { get; }
}

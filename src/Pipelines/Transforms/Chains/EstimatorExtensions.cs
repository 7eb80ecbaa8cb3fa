using DlBook.Pipelines.Core;

namespace DlBook.Pipelines.Transforms.Chains;

/// <summary><c>Append</c> for estimators and transformers, as in ML.NET.</summary>
public static class EstimatorExtensions
{
    /// <summary>A chain: <paramref name="start"/> (its steps, if it is a chain), then <paramref name="estimator"/> as one step.</summary>
    public static EstimatorChain<TNew> Append<TNew>(this IEstimator<ITransformer> start, IEstimator<TNew> estimator)
        where TNew : class, ITransformer =>
        new([.. Steps(start), estimator]);

    /// <summary>A chain: <paramref name="start"/>, then <paramref name="transformer"/>.</summary>
    public static TransformerChain<TNew> Append<TNew>(this ITransformer start, TNew transformer)
        where TNew : class, ITransformer =>
        new(start, transformer);

    internal static IEstimator<ITransformer>[] Steps(IEstimator<ITransformer> estimator) =>
        estimator is IEstimatorChain chain ? [.. chain.Estimators] : [estimator];
}

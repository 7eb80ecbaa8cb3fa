using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Transforms.Chains;

/// <summary>
/// Estimators fitted in order, each on the output of the transformers fitted before it (ML.NET's EstimatorChain).
/// Build one with <c>estimator.Append(next)</c>.
/// </summary>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>>, IEstimatorChain
    where TLastTransformer : class, ITransformer
{
    private readonly IEstimator<ITransformer>[] _estimators;

    /// <summary>An empty chain (start one with <c>new EstimatorChain&lt;ITransformer&gt;()</c>).</summary>
    public EstimatorChain() : this([]) { }

    internal EstimatorChain(IEstimator<ITransformer>[] estimators) => _estimators = estimators;

    /// <summary>The steps, first to last.</summary>
    public IReadOnlyList<IEstimator<ITransformer>> Estimators => _estimators;

    /// <summary>
    /// This chain followed by <paramref name="estimator"/>. An appended chain stays one step, fitted into the
    /// <see cref="TransformerChain{TLast}"/> that is the fitted chain's LastTransformer (as in ML.NET).
    /// </summary>
    public EstimatorChain<TNew> Append<TNew>(IEstimator<TNew> estimator) where TNew : class, ITransformer =>
        new([.. _estimators, estimator]);

    /// <inheritdoc />
    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(input.Schema); // fail on a schema problem before any step spends time fitting
        var fitted = new List<ITransformer>(_estimators.Length);
        var current = input;
        for (int i = 0; i < _estimators.Length; i++)
        {
            var t = _estimators[i].Fit(current);
            fitted.Add(t);
            if (i < _estimators.Length - 1) current = t.Transform(current);
        }
        return new TransformerChain<TLastTransformer>([.. fitted]);
    }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema) =>
        _estimators.Aggregate(inputSchema, (s, e) => e.GetOutputSchema(s));
}

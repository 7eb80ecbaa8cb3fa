using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Transforms.Chains;

/// <summary>Transformers applied in order; what <see cref="EstimatorChain{TLast}.Fit"/> returns (ML.NET's TransformerChain). Nested chains are flattened.</summary>
public sealed class TransformerChain<TLastTransformer> : ITransformerChain where TLastTransformer : class, ITransformer
{
    private readonly ITransformer[] _transformers;
    private readonly TLastTransformer? _last;

    /// <summary>
    /// A chain of the given steps, the last of which is a <typeparamref name="TLastTransformer"/>: either the last
    /// argument itself (which may be a chain, as when a fitted estimator chain was appended) or, after flattening,
    /// the last single step.
    /// </summary>
    public TransformerChain(params ITransformer[] transformers)
    {
        _transformers = transformers.SelectMany(t => t is ITransformerChain c ? c.Transformers : [t]).ToArray();
        if (transformers.Length > 0)
            _last = transformers[^1] as TLastTransformer ?? _transformers.LastOrDefault() as TLastTransformer
                ?? throw new ArgumentException($"The last transformer is {transformers[^1].GetType().Name}, not {typeof(TLastTransformer).Name}.");
    }

    /// <inheritdoc />
    public IReadOnlyList<ITransformer> Transformers => _transformers;

    /// <summary>The last step (e.g. the trained model), or null for an empty chain.</summary>
    public TLastTransformer? LastTransformer => _last;

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema) =>
        _transformers.Aggregate(inputSchema, (s, t) => t.GetOutputSchema(s));

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => _transformers.Aggregate(input, (v, t) => t.Transform(v));

    /// <summary>This chain followed by <paramref name="transformer"/>.</summary>
    public TransformerChain<TNew> Append<TNew>(TNew transformer) where TNew : class, ITransformer =>
        new([.. _transformers, transformer]);
}

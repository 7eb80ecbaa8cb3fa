using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Transforms;

/// <summary>An estimator with nothing to learn: Fit checks the input schema and returns the transformer (ML.NET's TrivialEstimator).</summary>
public sealed class TrivialEstimator<TTransformer>(TTransformer transformer) : IEstimator<TTransformer>
    where TTransformer : class, ITransformer
{
    /// <summary>The transformer Fit returns.</summary>
    public TTransformer Transformer { get; } = transformer;

    /// <inheritdoc />
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema) => Transformer.GetOutputSchema(inputSchema);
}

using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Core;

/// <summary>An untrained pipeline step; <see cref="Fit"/> learns from data and returns a transformer (ML.NET's IEstimator).</summary>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    /// <summary>Learns from <paramref name="input"/>.</summary>
    TTransformer Fit(IDataView input);

    /// <summary>The schema the fitted transformer will produce; validates the input schema.</summary>
    DataSchema GetOutputSchema(DataSchema inputSchema);
}

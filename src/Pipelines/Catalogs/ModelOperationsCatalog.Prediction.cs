using DlBook.Pipelines.Core;
using DlBook.Pipelines.Prediction;

namespace DlBook.Pipelines.Catalogs;

public sealed partial class ModelOperationsCatalog
{
    /// <summary>
    /// An engine that scores single objects with <paramref name="model"/> (ML.NET's CreatePredictionEngine). Not
    /// thread-safe: create one per thread.
    /// </summary>
    /// <exception cref="Data.SchemaException">A member of <typeparamref name="TOut"/> has no matching output column, or
    /// <typeparamref name="TIn"/> lacks a column the model reads.</exception>
    public PredictionEngine<TIn, TOut> CreatePredictionEngine<TIn, TOut>(ITransformer model)
        where TIn : class where TOut : class, new() => new(model);
}

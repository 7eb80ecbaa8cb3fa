using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Data.Mapping;
using DlBook.Pipelines.Loaders.Enumerable;

namespace DlBook.Pipelines.Prediction;

/// <summary>
/// Scores one object at a time with a fitted model (ML.NET's PredictionEngine): the input becomes a one-row view,
/// the model transforms it, and the output columns are copied into <typeparamref name="TOut"/>'s members by name
/// (or [ColumnName]) — a vector (Score) into float[], a key (PredictedLabel) into uint (0-based) or, for a string
/// member, into its label name. Like ML.NET's, an engine is NOT thread-safe: it reuses one input slot and one
/// transform chain; give each thread its own engine.
/// </summary>
public sealed class PredictionEngine<TIn, TOut> where TIn : class where TOut : class, new()
{
    private readonly TIn?[] _slot = new TIn?[1];
    private readonly IDataView _output;
    private readonly RowReader<TOut> _reader;
    private readonly BatchOptions _options;

    internal PredictionEngine(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var input = new EnumerableDataView<TIn>(_slot!);
        _output = model.Transform(input);
        OutputSchema = _output.Schema;
        _reader = new RowReader<TOut>(OutputSchema);
        _options = new BatchOptions { BatchSize = 1, Columns = _reader.Columns };
    }

    /// <summary>The schema the model produces for <typeparamref name="TIn"/>.</summary>
    public DataSchema OutputSchema { get; }

    /// <summary>Scores <paramref name="example"/> into a new <typeparamref name="TOut"/>.</summary>
    public TOut Predict(TIn example)
    {
        var result = new TOut();
        Predict(example, ref result);
        return result;
    }

    /// <summary>Scores <paramref name="example"/> into <paramref name="prediction"/>, reusing its arrays when their sizes fit.</summary>
    public void Predict(TIn example, ref TOut prediction)
    {
        ArgumentNullException.ThrowIfNull(example);
        prediction ??= new TOut();
        _slot[0] = example;
        try
        {
            foreach (var batch in _output.GetBatches(_options))
            {
                _reader.Read(batch, 0, prediction);
                return;
            }
            throw new InvalidOperationException("The model produced no row for the input; a filtering transform dropped it.");
        }
        finally
        {
            _slot[0] = null;
        }
    }
}

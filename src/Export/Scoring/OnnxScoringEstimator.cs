using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Export.Scoring;

/// <summary>The estimator of <c>ApplyOnnxModel</c>: nothing to learn; Fit opens the model and checks the input columns.</summary>
public sealed class OnnxScoringEstimator : IEstimator<OnnxScoringTransformer>
{
    private readonly DlContext? _context;

    internal OnnxScoringEstimator(DlContext? context, OnnxScoringOptions options)
    {
        _context = context;
        Options = options;
    }

    /// <summary>The settings.</summary>
    public OnnxScoringOptions Options { get; }

    /// <inheritdoc />
    public OnnxScoringTransformer Fit(IDataView input)
    {
        var t = new OnnxScoringTransformer(_context, Options);
        try
        {
            t.GetOutputSchema(input.Schema);
            return t;
        }
        catch
        {
            t.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public DataSchema GetOutputSchema(DataSchema inputSchema)
    {
        using var t = new OnnxScoringTransformer(_context, Options);
        return t.GetOutputSchema(inputSchema);
    }
}

using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Transforms.Keys;

namespace DlBook.Pipelines.Transforms.Chains;

/// <summary>
/// Scoring new data with a fitted pipeline whose first steps prepared the label: data to predict
/// has no label, so the label-only steps (value-to-key and key-to-value mappings whose input column
/// is absent) are left out; every other step must find its columns.
/// </summary>
public static class ScoringChain
{
    /// <summary>The steps of <paramref name="model"/> that apply to data with <paramref name="inputSchema"/>, as one transformer.</summary>
    /// <exception cref="SchemaException">A step other than a label mapping misses its input column.</exception>
    public static ITransformer For(ITransformer model, DataSchema inputSchema)
    {
        var steps = model is ITransformerChain chain ? chain.Transformers : [model];
        var kept = new List<ITransformer>();
        var schema = inputSchema;
        foreach (var step in steps)
        {
            string? labelInput = step switch
            {
                ValueToKeyMappingTransformer v => v.InputColumnName,
                KeyToValueMappingTransformer k => k.InputColumnName,
                _ => null,
            };
            if (labelInput is not null && schema.GetColumnOrNull(labelInput) is null) continue;
            schema = step.GetOutputSchema(schema);
            kept.Add(step);
        }
        return new TransformerChain<ITransformer>([.. kept]);
    }
}

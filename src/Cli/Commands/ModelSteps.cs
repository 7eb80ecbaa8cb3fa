using DlBook.Trainers.Networks;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DlBook.Cli.Commands;

/// <summary>The parts of a loaded ML.NET model the commands need.</summary>
internal static class ModelSteps
{
    /// <summary>The DlBook network of the chain (its last <see cref="NetworkTransformer"/>).</summary>
    public static NetworkTransformer Network(ITransformer model, string path) =>
        (model is IEnumerable<ITransformer> chain ? chain.OfType<NetworkTransformer>().LastOrDefault() : model as NetworkTransformer)
        ?? throw new InvalidDataException($"--model '{path}' holds no DlBook network (train one with 'dlbook train mlp').");

    /// <summary>
    /// The steps of <paramref name="model"/> that apply to data with <paramref name="inputSchema"/>: data to predict
    /// has no label, so a label mapping (MapValueToKey/MapKeyToValue) whose input column is absent is left out;
    /// every other step must find its columns.
    /// </summary>
    public static ITransformer ForScoring(ITransformer model, DataViewSchema inputSchema)
    {
        var steps = model is IEnumerable<ITransformer> chain ? chain.ToList() : [model];
        var kept = new List<ITransformer>();
        var schema = inputSchema;
        foreach (var step in steps)
        {
            DataViewSchema next;
            try { next = step.GetOutputSchema(schema); }
            catch (Exception e) when (step is ValueToKeyMappingTransformer or KeyToValueMappingTransformer
                                      && e is ArgumentOutOfRangeException or InvalidOperationException)
            {
                continue;
            }
            schema = next;
            kept.Add(step);
        }
        return new TransformerChain<ITransformer>([.. kept]);
    }
}

using DlBook.Trainers.Networks;
using Microsoft.ML;

namespace DlBook.Cli.Commands;

/// <summary>Finds the network in a loaded ML.NET model.</summary>
internal static class ModelSteps
{
    public static NetworkTransformer Network(ITransformer model, string path) =>
        Flatten(model).OfType<NetworkTransformer>().LastOrDefault()
        ?? throw new InvalidDataException($"Model '{path}' holds no trained DlBook network.");

    private static IEnumerable<ITransformer> Flatten(ITransformer t) => t is IEnumerable<ITransformer> chain ? chain.SelectMany(Flatten) : [t];
}

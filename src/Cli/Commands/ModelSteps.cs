using DlBook.Pipelines.Core;
using DlBook.Trainers.Models;

namespace DlBook.Cli.Commands;

/// <summary>Finds the network in a loaded pipeline.</summary>
internal static class ModelSteps
{
    public static INetworkModel Network(ITransformer model, string path) =>
        (model is ITransformerChain chain ? chain.Transformers.OfType<INetworkModel>().LastOrDefault() : model as INetworkModel)
        ?? throw new InvalidDataException($"Model '{path}' holds no trained network.");
}

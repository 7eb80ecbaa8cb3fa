using System.Runtime.CompilerServices;
using DlBook.Pipelines.Core;
using DlBook.Trainers.Mlp;

namespace DlBook.Trainers.Packaging;

/// <summary>Registers this assembly's persisted kinds with the transformer registry.</summary>
internal static class TrainerRegistrations
{
    // As in DlBook.Pipelines: a module initialiser runs before any code of this assembly, so a package can be
    // loaded through TransformerRegistry (e.g. by DlBook.Export) without touching a trainer type first.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => TransformerRegistry.Register(MlpModel.KindName, MlpModel.Load);
}

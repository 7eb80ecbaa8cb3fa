using System.Runtime.CompilerServices;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Transforms.Concatenation;
using DlBook.Pipelines.Transforms.Keys;
using DlBook.Pipelines.Transforms.Normalization;

namespace DlBook.Pipelines.Transforms;

/// <summary>Registers the loaders of this assembly's persistable transformers.</summary>
internal static class PipelinesTransformerKinds
{
    // A module initialiser runs before any code of this assembly, TransformerRegistry.Load included, so a model
    // package can be read without the caller touching a transform type first. CA2255 warns libraries off module
    // initialisers because they run implicitly; running implicitly is exactly the point here.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        foreach (var kind in Enum.GetValues<NormalizerKind>())
            TransformerRegistry.Register(NormalizerTransformer.KindName(kind), c => NormalizerTransformer.Load(c, kind));
        TransformerRegistry.Register("MapValueToKey", ValueToKeyMappingTransformer.Load);
        TransformerRegistry.Register("MapKeyToValue", KeyToValueMappingTransformer.Load);
        TransformerRegistry.Register("Concatenate", ColumnConcatenatingTransformer.Load);
    }
}

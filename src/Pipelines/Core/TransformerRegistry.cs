using System.Collections.Concurrent;

namespace DlBook.Pipelines.Core;

/// <summary>Maps a persisted transformer kind to the function that rebuilds it. Assemblies register their kinds in a static constructor or module initialiser.</summary>
public static class TransformerRegistry
{
    private static readonly ConcurrentDictionary<string, Func<TransformerLoadContext, ITransformer>> Loaders = new(StringComparer.Ordinal);

    /// <summary>Registers (or replaces) the loader for <paramref name="kind"/>.</summary>
    public static void Register(string kind, Func<TransformerLoadContext, ITransformer> loader) => Loaders[kind] = loader;

    /// <summary>Rebuilds a transformer; throws <see cref="InvalidDataException"/> for an unknown kind.</summary>
    public static ITransformer Load(TransformerLoadContext context) =>
        Loaders.TryGetValue(context.Kind, out var f) ? f(context)
            : throw new InvalidDataException($"{context.Source}: unknown transformer kind '{context.Kind}'. Known: {string.Join(", ", Loaders.Keys.Order())}. The model needs a newer DlBook.MLNet or an assembly that registers this kind.");

    /// <summary>The registered kinds.</summary>
    public static IReadOnlyCollection<string> Kinds => Loaders.Keys.ToArray();
}

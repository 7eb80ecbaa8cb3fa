namespace DlBook.Engine.Initializers;

/// <summary>Looks initialisers up by name (case-insensitive), as options and model packages spell them.</summary>
public static class InitializerFactory
{
    private static readonly Dictionary<string, IInitializer> ByName = new IInitializer[]
    {
        NormalInitializer.StandardNormal, NormalInitializer.Normal1OverFanIn, new UniformInitializer(),
        NormalInitializer.GlorotNormal, UniformInitializer.GlorotUniform, NormalInitializer.HeNormal,
        UniformInitializer.HeUniform, NormalInitializer.LecunNormal, UniformInitializer.LecunUniform,
        ZerosInitializer.Instance, OrthogonalInitializer.Instance,
    }.ToDictionary(i => i.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The valid names, in the order of the documentation.</summary>
    public static IReadOnlyList<string> Names { get; } = ByName.Values.Select(i => i.Name).ToArray();

    /// <summary>The initialiser called <paramref name="name"/> ("StandardNormal", "Normal1OverFanIn", "Uniform", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform", "Zeros", "Orthogonal").</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static IInitializer Create(string name)
    {
        if (name is not null && ByName.TryGetValue(name.Trim(), out var init)) return init;
        throw new ArgumentException($"Unknown initialiser '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name));
    }
}

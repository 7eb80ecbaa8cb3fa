using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace DlBook.Pipelines.MlNet;

/// <summary>
/// Every use of ML.NET's non-public members, in one place. ML.NET 6 gives a third-party component no public way to
/// reach a catalog's environment (seed, log, cancellation), to save itself into a model zip or to be found by
/// <c>Model.Load</c> (ML.NET#4911, #6839). These members were read from ML.NET 6.0.0's source; the version is pinned
/// in Directory.Packages.props, a round-trip test holds the route, and if a member moves the error names the version.
/// </summary>
internal static class MlNetInternals
{
    /// <summary>The ML.NET version these members were written against.</summary>
    public const string PinnedVersion = "6.0.0";

    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
    private static readonly Assembly Core = typeof(ModelSaveContext).Assembly;

    /// <summary>The environment behind any ML.NET catalog (it implements the internal IInternalCatalog).</summary>
    public static IHostEnvironment EnvironmentOf(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog is IHostEnvironment env) return env;
        var iface = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.Name == "IInternalCatalog")
            ?? throw Moved($"IInternalCatalog on {catalog.GetType().FullName}");
        var prop = iface.GetProperty("Environment", Any) ?? throw Moved("IInternalCatalog.Environment");
        return (IHostEnvironment)(prop.GetValue(catalog) ?? throw Moved("IInternalCatalog.Environment (null)"));
    }

    /// <summary>
    /// True once <c>MLContext.CancelExecution()</c> was called on the environment or a parent of it (the internal
    /// ICancelable). <see cref="CancellationProbe"/> gives a probe for a loop that asks often.
    /// </summary>
    public static bool IsCanceled(IHostEnvironment env) => CancellationProbe(env)();

    /// <summary>
    /// A probe that is true once <c>MLContext.CancelExecution()</c> was called on the environment or a parent of it
    /// (the internal ICancelable), looked up once so the training loop can ask after every mini-batch.
    /// </summary>
    public static Func<bool> CancellationProbe(IHostEnvironment env)
    {
        var iface = env.GetType().GetInterfaces().FirstOrDefault(i => i.Name == "ICancelable");
        var prop = iface?.GetProperty("IsCanceled", Any) ?? throw Moved($"ICancelable.IsCanceled on {env.GetType().FullName}");
        var get = (Func<bool>)Delegate.CreateDelegate(typeof(Func<bool>), env, prop.GetGetMethod(nonPublic: true)!);
        return get;
    }

    /// <summary>The input and output columns of a fitted <c>Concatenate</c> (the property is internal).</summary>
    public static IReadOnlyCollection<(string OutputColumnName, string[] InputColumnNames)> ConcatenatedColumns(ITransformer concat)
    {
        var prop = concat.GetType().GetProperty("Columns", Any) ?? throw Moved("ColumnConcatenatingTransformer.Columns");
        return (IReadOnlyCollection<(string, string[])>)prop.GetValue(concat)!;
    }

    private static readonly ConstructorInfo? MessageCtor = typeof(ChannelMessage).GetConstructor(Any,
        [typeof(ChannelMessageKind), typeof(MessageSensitivity), typeof(string)]);

    /// <summary>Sends a message down an ML.NET channel, so it reaches <c>MLContext.Log</c> (ChannelMessage's constructor is internal).</summary>
    public static void Send(IChannel channel, ChannelMessageKind kind, string message)
    {
        var ctor = MessageCtor ?? throw Moved("ChannelMessage(ChannelMessageKind, MessageSensitivity, string)");
        channel.Send((ChannelMessage)ctor.Invoke([kind, MessageSensitivity.None, message]));
    }

    /// <summary>The shape of a complete schema (SchemaShape.Create is internal).</summary>
    public static SchemaShape ShapeOf(DataViewSchema schema)
    {
        var m = typeof(SchemaShape).GetMethod("Create", Any, [typeof(DataViewSchema)]) ?? throw Moved("SchemaShape.Create(DataViewSchema)");
        return (SchemaShape)Call(m, null, [schema])!;
    }

    /// <summary>The (output, input) column pairs of a one-to-one transformer (normalisers, key mappings, copies); null for other transformers.</summary>
    public static (string OutputColumnName, string InputColumnName)[]? ColumnPairs(ITransformer transformer)
    {
        for (var t = transformer.GetType(); t is not null; t = t.BaseType)
            if (t.GetField("ColumnPairs", Any | BindingFlags.DeclaredOnly) is { } f)
                return ((string, string)[])f.GetValue(transformer)!;
        return null;
    }

    // ---- Saving: ModelSaveContext.CheckAtModel(), SetVersionInfo(VersionInfo), SaveBinaryStream(name, Action<BinaryWriter>), Writer.

    /// <summary>Writes a component header (signature, versions, loader) and its binary streams into an ML.NET model zip.</summary>
    public static void Save(ModelSaveContext ctx, ComponentVersion version, Action<BinaryWriter> model, IReadOnlyDictionary<string, Action<BinaryWriter>> streams)
    {
        var t = typeof(ModelSaveContext);
        Invoke(t, ctx, "CheckAtModel", []);
        Invoke(t, ctx, "SetVersionInfo", [NewVersionInfo(version)]);
        var writer = (BinaryWriter)(t.GetField("Writer", Any)?.GetValue(ctx) ?? throw Moved("ModelSaveContext.Writer"));
        model(writer);
        var saveStream = t.GetMethod("SaveBinaryStream", Any) ?? throw Moved("ModelSaveContext.SaveBinaryStream");
        foreach (var (name, write) in streams) Call(saveStream, ctx, [name, write]);
    }

    // ---- Loading: ModelLoadContext.CheckAtModel(VersionInfo), Reader, TryLoadBinaryStream(name, Action<BinaryReader>);
    // a LoadableClassAttribute + LoadableClassInfo added with the private ComponentCatalog.AddClass.

    /// <summary>Checks the header of the component being loaded and returns its reader.</summary>
    public static BinaryReader BeginLoad(object loadContext, ComponentVersion version)
    {
        var t = loadContext.GetType();
        var check = t.GetMethods(Any).FirstOrDefault(m => m.Name == "CheckAtModel" && m.GetParameters().Length == 1)
            ?? throw Moved("ModelLoadContext.CheckAtModel(VersionInfo)");
        Call(check, loadContext, [NewVersionInfo(version)]);
        return (BinaryReader)(t.GetField("Reader", Any)?.GetValue(loadContext) ?? throw Moved("ModelLoadContext.Reader"));
    }

    /// <summary>Reads a named binary stream saved beside the component; false when there is none.</summary>
    public static bool TryLoadStream(object loadContext, string name, Action<BinaryReader> read)
    {
        var m = loadContext.GetType().GetMethod("TryLoadBinaryStream", Any) ?? throw Moved("ModelLoadContext.TryLoadBinaryStream");
        return (bool)Call(m, loadContext, [name, read])!;
    }

    /// <summary>
    /// Makes <c>Model.Load</c> of this catalog find a component saved with <paramref name="loaderSignature"/>: it calls
    /// <paramref name="create"/>, a <c>static T Create(IHostEnvironment env, object loadContext)</c>.
    /// </summary>
    public static void RegisterLoader(ComponentCatalog catalog, Type instanceType, string loaderSignature, MethodInfo create)
    {
        var attrType = Core.GetType("Microsoft.ML.LoadableClassAttribute") ?? throw Moved("LoadableClassAttribute");
        var sigType = Core.GetType("Microsoft.ML.SignatureLoadModel") ?? throw Moved("SignatureLoadModel");
        var infoType = typeof(ComponentCatalog).GetNestedType("LoadableClassInfo", Any) ?? throw Moved("ComponentCatalog.LoadableClassInfo");
        var attrCtor = attrType.GetConstructor(Any, [typeof(Type), typeof(Type), typeof(Type), typeof(string), typeof(string[])])
            ?? throw Moved("LoadableClassAttribute(Type, Type, Type, string, string[])");
        var attr = attrCtor.Invoke([instanceType, null, sigType, instanceType.Name, new[] { loaderSignature }]);
        var infoCtor = infoType.GetConstructors(Any).FirstOrDefault(c => c.GetParameters().Length == 5)
            ?? throw Moved("LoadableClassInfo(attr, getter, ctor, create, requireEnvironment)");
        var info = infoCtor.Invoke([attr, null, null, create, true]);
        var add = typeof(ComponentCatalog).GetMethod("AddClass", Any) ?? throw Moved("ComponentCatalog.AddClass");
        var findByName = typeof(ComponentCatalog).GetMethod("FindLoadableClasses", Any, [typeof(string)]);
        lock (catalog)
        {
            if (findByName?.Invoke(catalog, [loaderSignature]) is Array { Length: > 0 }) return;
            Call(add, catalog, [info, new[] { loaderSignature }, false]);
        }
    }

    private static object NewVersionInfo(ComponentVersion v)
    {
        var type = Core.GetType("Microsoft.ML.VersionInfo") ?? throw Moved("VersionInfo");
        var ctor = type.GetConstructor(Any, [typeof(string), typeof(uint), typeof(uint), typeof(uint), typeof(string), typeof(string), typeof(string)])
            ?? throw Moved("VersionInfo(string, uint, uint, uint, string, string, string)");
        return ctor.Invoke([v.ModelSignature, v.Written, v.ReadableBy, v.CanReadBack, v.LoaderAssemblyName, v.LoaderSignature, null]);
    }

    private static object? Invoke(Type t, object target, string name, object[] args) =>
        Call(t.GetMethods(Any).FirstOrDefault(m => m.Name == name && m.GetParameters().Length == args.Length) ?? throw Moved($"{t.Name}.{name}"), target, args);

    private static object? Call(MethodInfo m, object? target, object?[] args)
    {
        try { return m.Invoke(target, args); }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private static MissingMemberException Moved(string member)
    {
        var actual = typeof(MLContext).Assembly.GetName().Version;
        return new MissingMemberException(
            $"DlBook.MLNet reaches ML.NET's non-public member {member} to save, load or configure its components, and this ML.NET " +
            $"({actual}) does not have it. DlBook.MLNet was built and tested against Microsoft.ML {PinnedVersion}: reference that version.");
    }
}

/// <summary>The header ML.NET writes for a saved component: an eight-character signature, versions, and who loads it.</summary>
internal sealed record ComponentVersion(string ModelSignature, uint Written, uint ReadableBy, uint CanReadBack, string LoaderSignature, string LoaderAssemblyName);

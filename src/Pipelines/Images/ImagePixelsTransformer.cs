using System.Reflection;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.MlNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;

namespace DlBook.Pipelines.Images;

/// <summary>
/// The fitted <c>LoadImagePixels</c>: decodes the image each row's path names, fits it to Width × Height and adds its
/// pixels as a <c>Vector&lt;Single, 3, H, W&gt;</c> column, the same type, layout and values as ML.NET's
/// <c>LoadImages → ResizeImages → ExtractPixels</c>. Rows whose image cannot be read are left out and counted in
/// <see cref="Report"/> (or stop the pass, with <see cref="BadImagePolicy.Throw"/>). One row at a time — a
/// <c>PredictionEngine</c> — the image is decoded when read, and one that cannot be read is an error naming the file.
/// Saved into and loaded from ML.NET model zips (options only).
/// </summary>
public sealed class ImagePixelsTransformer : ITransformer
{
    /// <summary>The name ML.NET's model zips record for this component (its loader signature).</summary>
    public const string LoaderSignature = "DlBookImagePixels";   // ML.NET allows at most 24 characters
    private const int FormatVersion = 1;

    internal static ComponentVersion Version { get; } = new("DLBIMGPX", 0x00010001, 0x00010001, 0x00010001, LoaderSignature,
        typeof(ImagePixelsTransformer).Assembly.GetName().Name!);

    private readonly IHost _host;

    internal ImagePixelsTransformer(IHostEnvironment env, ImagePixelsOptions options)
    {
        _host = env.Register(nameof(ImagePixelsTransformer));
        Options = options.Checked();
        Report = new ImageLoadReport(Options.BadImagesKept);
        Register(env.ComponentCatalog);
    }

    /// <summary>The options in force (a copy: changing it changes nothing).</summary>
    internal ImagePixelsOptions Options { get; }

    /// <summary>The column made.</summary>
    public string OutputColumnName => Options.OutputColumnName;

    /// <summary>The text column read for paths.</summary>
    public string ImagePathColumnName => Options.ImagePathColumnName;

    /// <summary>The images that could not be read, over every pass of every view this transformer made.</summary>
    public ImageLoadReport Report { get; }

    /// <summary>True: a <c>PredictionEngine</c> maps one row at a time (see <see cref="GetRowToRowMapper"/>).</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema with the pixel column added (replacing one of the same name).</summary>
    /// <exception cref="SchemaException">The path column is missing or not text.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckPathColumn(inputSchema, Options);
        return OutputSchema(inputSchema, Options);
    }

    /// <summary>
    /// One row at a time, as ML.NET's <c>PredictionEngine</c> runs: the row's image is decoded when its pixels are read;
    /// one that cannot be read throws a <see cref="DataFormatException"/> naming the file (a single row cannot be left out).
    /// </summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new ImagePixelsRowMapper(Options, inputSchema);
    }

    /// <summary>
    /// A lazy view of the input with the pixel column: nothing is decoded until a cursor reads it, and each cursor
    /// streams (at most Prefetch images held).
    /// </summary>
    /// <exception cref="SchemaException">The path column is missing or not text.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ImagePixelsDataView(_host, input, Options, Report);
    }

    internal static int CheckPathColumn(DataViewSchema schema, ImagePixelsOptions o)
    {
        var col = schema.GetColumnOrNull(o.ImagePathColumnName)
            ?? throw new SchemaException($"LoadImagePixels reads image paths from column '{o.ImagePathColumnName}', which the input does not have " +
                $"(it has: {string.Join(", ", schema.Select(c => c.Name))}). Name the path column with imagePathColumnName, or load the images with mlContext.Data.LoadFromImageFolder (column 'ImagePath').");
        if (col.Type is not TextDataViewType)
            throw new SchemaException($"LoadImagePixels reads image paths from column '{o.ImagePathColumnName}', which is {col.Type}, not text. Give it a text column of file paths.");
        return col.Index;
    }

    internal static VectorDataViewType OutputType(ImagePixelsOptions o) => o.InterleavePixelColors
        ? new VectorDataViewType(NumberDataViewType.Single, o.Height, o.Width, 3)
        : new VectorDataViewType(NumberDataViewType.Single, 3, o.Height, o.Width);

    internal static DataViewSchema OutputSchema(DataViewSchema input, ImagePixelsOptions o)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumn(o.OutputColumnName, OutputType(o));
        return builder.ToSchema();
    }

    // ---- Saving and loading (ML.NET model zips): the options, as fields.

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var o = Options;
        MlNetInternals.Save(ctx, Version, w =>
        {
            w.Write(FormatVersion);
            w.Write(o.OutputColumnName);
            w.Write(o.ImagePathColumnName);
            w.Write(o.ImageFolder ?? "");
            w.Write(o.Width);
            w.Write(o.Height);
            w.Write((int)o.Resizing);
            w.Write((int)o.CropAnchor);
            w.Write((int)o.ChannelOrder);
            w.Write(o.InterleavePixelColors);
            w.Write(o.OffsetImage);
            w.Write(o.ScaleImage);
            w.Write(o.ScaledDecode);
            w.Write((int)o.BadImages);
            w.Write(o.BadImagesKept);
        }, new Dictionary<string, Action<BinaryWriter>>());
    }

    /// <summary>Called by ML.NET's <c>Model.Load</c> (registered by <c>RegisterDlBookImages</c>, or by any use of <c>LoadImagePixels</c> on the context).</summary>
    internal static ImagePixelsTransformer Create(IHostEnvironment env, object loadContext)
    {
        var r = MlNetInternals.BeginLoad(loadContext, Version);
        int format = r.ReadInt32();
        if (format > FormatVersion)
            throw new DataFormatException("(ML.NET model zip)", "LoadImagePixels options",
                $"they were saved in format {format}, newer than this DlBook.MLNet reads ({FormatVersion}).", "Update DlBook.MLNet.");
        var o = new ImagePixelsOptions
        {
            OutputColumnName = r.ReadString(),
            ImagePathColumnName = r.ReadString(),
            ImageFolder = r.ReadString() is { Length: > 0 } f ? f : null,
            Width = r.ReadInt32(),
            Height = r.ReadInt32(),
            Resizing = (ImageResizingEstimator.ResizingKind)r.ReadInt32(),
            CropAnchor = (ImageResizingEstimator.Anchor)r.ReadInt32(),
            ChannelOrder = (ImageChannelOrder)r.ReadInt32(),
            InterleavePixelColors = r.ReadBoolean(),
            OffsetImage = r.ReadSingle(),
            ScaleImage = r.ReadSingle(),
            ScaledDecode = r.ReadBoolean(),
            BadImages = (BadImagePolicy)r.ReadInt32(),
            BadImagesKept = r.ReadInt32(),
        };
        return new ImagePixelsTransformer(env, o);
    }

    internal static void Register(ComponentCatalog catalog) =>
        MlNetInternals.RegisterLoader(catalog, typeof(ImagePixelsTransformer), LoaderSignature, CreateMethod);

    private static MethodInfo CreateMethod { get; } = typeof(ImagePixelsTransformer).GetMethod(nameof(Create), BindingFlags.NonPublic | BindingFlags.Static)!;
}

/// <summary>
/// <c>mlContext.Transforms.LoadImagePixels(...)</c>: a trivial estimator (nothing is learnt); <see cref="Fit"/> checks the
/// path column and gives an <see cref="ImagePixelsTransformer"/>.
/// </summary>
public sealed class ImagePixelsEstimator : IEstimator<ImagePixelsTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly ImagePixelsOptions _options;

    internal ImagePixelsEstimator(IHostEnvironment env, ImagePixelsOptions options)
    {
        _env = env;
        _options = options.Checked();
    }

    /// <summary>Checks the input's path column and returns the transformer (no data is read).</summary>
    /// <exception cref="SchemaException">The path column is missing or not text.</exception>
    public ImagePixelsTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ImagePixelsTransformer.CheckPathColumn(input.Schema, _options);
        return new ImagePixelsTransformer(_env, _options);
    }

    /// <summary>The input shape with the pixel column (a known-size Single vector) added.</summary>
    /// <exception cref="SchemaException">The path column is missing or not scalar text.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var found = inputSchema.Where(c => c.Name == _options.ImagePathColumnName).ToArray();
        if (found.Length == 0)
            throw new SchemaException($"LoadImagePixels reads image paths from column '{_options.ImagePathColumnName}', which the input does not have " +
                $"(it has: {string.Join(", ", inputSchema.Select(c => c.Name))}). Name the path column with imagePathColumnName.");
        var path = found[^1];
        if (path.Kind != SchemaShape.Column.VectorKind.Scalar || path.ItemType is not TextDataViewType)
            throw new SchemaException($"LoadImagePixels reads image paths from column '{_options.ImagePathColumnName}', which is {path.ItemType} {path.Kind}, not scalar text.");
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(_options.OutputColumnName, ImagePixelsTransformer.OutputType(_options));
        var added = MlNetInternals.ShapeOf(builder.ToSchema());
        return new SchemaShape(inputSchema.Where(c => c.Name != _options.OutputColumnName).Concat(added));
    }
}

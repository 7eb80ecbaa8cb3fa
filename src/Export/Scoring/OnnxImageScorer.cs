using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DlBook.Export.Onnx;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Images;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;

namespace DlBook.Export.Scoring;

/// <summary>
/// Scores image files with an ONNX model exported from a chain that starts with <c>LoadImagePixels</c>: each image is
/// decoded by <c>LoadImagePixels</c> with exactly the settings of the model's <c>image_decoder</c> metadata (size,
/// resizing, crop anchor, channel order, layout, offset, scale), in parallel a few images ahead, and scored in batches
/// on ONNX Runtime by an <see cref="OnnxBatchScorer"/>. The predictions CSV is
/// <c>Path,PredictedLabel,Probability,Score_&lt;class&gt;…</c>: Probability is the predicted class's (softmax output, or
/// for binary the sigmoid's p when the positive class is predicted and 1 − p otherwise), followed by one column per
/// class (binary: 1 − p, p); a regression model gives <c>Path,Score</c>. Images that cannot be read are left out and
/// counted (or stop the run, naming the file: <see cref="BadImagePolicy.Throw"/>). The file is written atomically:
/// a failure leaves nothing at the output path.
/// </summary>
public sealed class OnnxImageScorer : IDisposable
{
    /// <summary>The file endings a folder is searched for (compared without case).</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpg", ".jpeg", ".png"];

    private readonly OnnxBatchScorer _scorer;
    private readonly OnnxImageScorerOptions _options;
    private readonly ImagePixelsOptions _decoder;

    /// <summary>Opens <paramref name="modelFile"/> with ONNX Runtime and reads its decoder settings.</summary>
    /// <exception cref="Runtime.OnnxModelLoadException">The file is missing or not an ONNX model.</exception>
    /// <exception cref="SchemaException">The model has no <c>image_decoder</c> metadata (it does not start from image paths), or its input is not the decoder's pixels.</exception>
    /// <exception cref="Runtime.OnnxRuntimeProviderException">CUDA was asked for, cannot be used, and no CPU fallback was allowed.</exception>
    public OnnxImageScorer(string modelFile, OnnxImageScorerOptions? options = null)
    {
        _options = options ?? new OnnxImageScorerOptions();
        if (_options.BadImagesKept < 0) throw new ArgumentOutOfRangeException(nameof(options), _options.BadImagesKept, "Keep zero or more bad file names.");
        if (_options.DecodeThreads < 0) throw new ArgumentOutOfRangeException(nameof(options), _options.DecodeThreads, "Decode with at least one thread, or 0 for every core.");
        _scorer = new OnnxBatchScorer(modelFile, _options.Scoring);
        try
        {
            _decoder = Decoder(_scorer, _options);
        }
        catch
        {
            _scorer.Dispose();
            throw;
        }
    }

    /// <summary>The session's execution provider ("CPU" or "CUDA:n").</summary>
    public string ExecutionProvider => _scorer.ExecutionProvider;

    /// <summary>The text column of image paths read from the data.</summary>
    public string ImagePathColumnName => _decoder.ImagePathColumnName;

    /// <summary>The image size the model takes, as (width, height).</summary>
    public (int Width, int Height) ImageSize => (_decoder.Width, _decoder.Height);

    /// <summary>The class names of the model's metadata (index i ↔ class i), or null.</summary>
    public IReadOnlyList<string>? LabelNames => _scorer.LabelNames;

    /// <summary>
    /// Decodes and scores the image each row of <paramref name="imagePaths"/>'s <see cref="ImagePathColumnName"/> names
    /// (other columns are ignored) and writes the predictions CSV to <paramref name="outputPath"/>, one row per image
    /// read, in the input's order.
    /// </summary>
    /// <exception cref="SchemaException">The data has no text column <see cref="ImagePathColumnName"/>; nothing is written.</exception>
    /// <exception cref="DataFormatException">With <see cref="BadImagePolicy.Throw"/>: an image cannot be read (the message starts with its path). Or no image at all could be read. Nothing is written.</exception>
    public OnnxImageScoringSummary ScoreToCsv(IDataView imagePaths, string outputPath, IProgress<OnnxScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(imagePaths);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var ml = new MLContext(seed: 1);
        if (_options.Scoring.Log is { } log)
            ml.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Warning) log(e.RawMessage); };
        // Before any file is created: a missing path column fails with nothing written.
        var decoder = ml.Transforms.LoadImagePixels(_decoder).Fit(imagePaths);
        var pixels = decoder.Transform(imagePaths);
        _scorer.CheckColumn(pixels.Schema);
        var (binary, regression) = _scorer.Kind;
        var full = Path.GetFullPath(outputPath);
        long total = imagePaths.GetRowCount() ?? -1;
        var clock = Stopwatch.StartNew();
        long rows = Pipelines.IO.AtomicFile.Write(full, file =>
        {
            using var writer = new PredictionCsvWriter(file, _scorer.OutputSize, binary, regression, _scorer.LabelNames, byPath: true);
            long done = _scorer.Score(pixels, ImagePathColumnName, (first, count, scores, names) =>
            {
                writer.Write(first, count, scores, names);
                progress?.Report(new OnnxScoringProgress(first + count, total >= 0 ? total : null, clock.Elapsed) { SkippedRows = decoder.Report.SkippedRows });
            }, cancellationToken);
            if (done == 0 && decoder.Report.BadImageCount > 0)
                throw new DataFormatException($"None of the {decoder.Report.SkippedRows:N0} images could be read, so there is nothing to score: {decoder.Report}");
            return done;
        });
        var report = decoder.Report;
        return new OnnxImageScoringSummary(full, rows, report.BadImageCount, report.FirstBadImages, clock.Elapsed, ExecutionProvider);
    }

    /// <summary>The same over a list of image files (paths as given: they are written as given).</summary>
    /// <exception cref="DataFormatException">With <see cref="BadImagePolicy.Throw"/>: an image cannot be read (the message starts with its path). Or no image at all could be read. Nothing is written.</exception>
    public OnnxImageScoringSummary ScoreToCsv(IEnumerable<string> imageFiles, string outputPath, IProgress<OnnxScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(imageFiles);
        var definition = SchemaDefinition.Create(typeof(ImageFile));
        definition[0].ColumnName = ImagePathColumnName;
        var view = new MLContext(seed: 1).Data.LoadFromEnumerable(imageFiles.Select(f => new ImageFile { Path = f }).ToArray(), definition);
        return ScoreToCsv(view, outputPath, progress, cancellationToken);
    }

    /// <summary>
    /// The image files <paramref name="filesOrFolders"/> name, in a fixed order: each argument in turn; a file as given
    /// (whatever its ending), a folder searched with its subfolders for <see cref="ImageExtensions"/>, its files sorted by
    /// path (ordinal). Paths keep the form given (a relative folder gives relative paths).
    /// </summary>
    /// <exception cref="FileNotFoundException">A path is neither a file nor a folder (<see cref="FileNotFoundException.FileName"/> is the path).</exception>
    /// <exception cref="ImageFolderException">A folder holds no image.</exception>
    public static IReadOnlyList<string> FindImages(IEnumerable<string> filesOrFolders)
    {
        ArgumentNullException.ThrowIfNull(filesOrFolders);
        var found = new List<string>();
        foreach (var path in filesOrFolders)
        {
            ArgumentException.ThrowIfNullOrEmpty(path, nameof(filesOrFolders));
            if (File.Exists(path))
            {
                found.Add(path);
                continue;
            }
            if (!Directory.Exists(path))
                throw new FileNotFoundException($"'{path}' is neither an image file nor a folder of images. Check the path and the current directory.", path);
            var images = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList();
            if (images.Count == 0)
                throw new ImageFolderException(Path.GetFullPath(path), $"the folder holds no image ({string.Join(", ", ImageExtensions)}), subfolders included.",
                    "Give a folder of JPEG or PNG files, or the files themselves.");
            found.AddRange(images);
        }
        return found;
    }

    // The model's image_decoder metadata as LoadImagePixels options, the pixels written to the model's input column.
    private static ImagePixelsOptions Decoder(OnnxBatchScorer scorer, OnnxImageScorerOptions options)
    {
        if (!scorer.Metadata.TryGetValue(OnnxMetadataKeys.ImageDecoder, out var json))
            throw new SchemaException($"ONNX model '{scorer.ModelName}' does not start from image paths: it has no '{OnnxMetadataKeys.ImageDecoder}' metadata saying how to make " +
                $"its input '{scorer.InputColumnName}' ({scorer.InputSize:N0} floats a row) from an image file. Export a chain that starts with LoadImagePixels " +
                "(a model from 'dlbook train cnn', exported with 'dlbook export' or mlContext.Model.ExportToOnnx), or score its features as data.");
        JsonNode d;
        try { d = JsonNode.Parse(json) ?? throw new JsonException("it is null."); }
        catch (JsonException e) { throw Damaged(scorer, $"it is not JSON ({e.Message})"); }
        T Get<T>(string key)
        {
            var v = d[key] ?? throw Damaged(scorer, $"it has no '{key}'");
            try
            {
                return v.GetValue<T>();
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException)
            { throw Damaged(scorer, $"its '{key}' is not a {typeof(T).Name}"); }
        }
        TEnum Enum<TEnum>(string key) where TEnum : struct, Enum =>
            System.Enum.TryParse<TEnum>(Get<string>(key), ignoreCase: false, out var value) && System.Enum.IsDefined(value) ? value
                : throw Damaged(scorer, $"its '{key}' is '{Get<string>(key)}', not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}");
        var decoder = new ImagePixelsOptions
        {
            OutputColumnName = scorer.InputColumnName,
            ImagePathColumnName = options.ImagePathColumnName ?? Get<string>("imagePathColumn"),
            Width = Get<int>("width"),
            Height = Get<int>("height"),
            Resizing = Enum<ImageResizingEstimator.ResizingKind>("resizing"),
            CropAnchor = Enum<ImageResizingEstimator.Anchor>("cropAnchor"),
            ChannelOrder = Enum<ImageChannelOrder>("channelOrder"),
            InterleavePixelColors = Get<bool>("interleavePixelColors"),
            OffsetImage = Get<float>("offsetImage"),
            ScaleImage = Get<float>("scaleImage"),
            // Written since scaledDecode was added to the metadata; before, every chain decoded scaled (the default).
            ScaledDecode = d["scaledDecode"] is null || Get<bool>("scaledDecode"),
            BadImages = options.BadImages,
            BadImagesKept = options.BadImagesKept,
            DecodeThreads = options.DecodeThreads > 0 ? options.DecodeThreads : Environment.ProcessorCount,
        };
        long size = 3L * decoder.Width * decoder.Height;
        if (size != scorer.InputSize)
            throw new SchemaException(string.Create(CultureInfo.InvariantCulture,
                $"ONNX model '{scorer.ModelName}' takes {scorer.InputSize:N0} floats a row in '{scorer.InputColumnName}', but its image_decoder metadata makes {decoder.Width} × {decoder.Height} × 3 = {size:N0}. Export the model again."));
        return decoder;
    }

    private static SchemaException Damaged(OnnxBatchScorer scorer, string problem) =>
        new($"ONNX model '{scorer.ModelName}' has damaged '{OnnxMetadataKeys.ImageDecoder}' metadata: {problem}. Export the model again.");

    private sealed class ImageFile
    {
        public string Path { get; set; } = "";
    }

    /// <inheritdoc />
    public void Dispose() => _scorer.Dispose();
}

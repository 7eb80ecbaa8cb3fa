using DlBook.Pipelines.DataSets;
using DlBook.Pipelines.Images;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace DlBook.Bench;

/// <summary>
/// Images/s from JPEG files to a 3 × 64 × 64 float column read by a cursor, over 500 shared dogs-vs-cats photos
/// (train/cats 0–249 and train/dogs 0–249, 150–500 px): ML.NET's <c>LoadImages → ResizeImages(64, 64) → ExtractPixels</c>
/// against our <c>LoadImagePixels</c> — scaled decoding on all threads (the default), on one thread, and full decoding
/// (ML.NET's exact pixels) on all threads. Rounds run back to back, ML.NET then ours, and the ratio is taken inside
/// each round (the VMs drift).
/// </summary>
public sealed class ImageLoadingWorkload : IWorkload
{
    /// <summary>Photos per pass.</summary>
    public const int Images = 500;

    /// <summary>Rounds of ML.NET-then-ours.</summary>
    public const int Rounds = 2;

    /// <inheritdoc />
    public string Name => "images";

    /// <inheritdoc />
    public void Run(BenchOptions options, BenchReport report)
    {
        var root = Path.Combine(DataSetLocator.Roots().FirstOrDefault(r => Directory.Exists(Path.Combine(r, "dogs-vs-cats")))
            ?? throw new DirectoryNotFoundException("dogs-vs-cats was not found under the shared data folder; set DLBOOK_DATA to the folder holding dogs-vs-cats/."),
            "dogs-vs-cats", "train");
        var paths = new[] { ("cats", "cat"), ("dogs", "dog") }
            .SelectMany(c => Enumerable.Range(0, Images / 2).Select(i => Path.Combine(root, c.Item1, $"{c.Item2}.{i}.jpg"))).ToArray();
        var ml = new MLContext(1);
        var input = ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }).ToList());

        var mlnet = ml.Transforms.LoadImages("Image", null!, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Image", 64, 64, "Image", ImageResizingEstimator.ResizingKind.IsoCrop))
            .Append(ml.Transforms.ExtractPixels("Features", "Image"))
            .Fit(input);
        ITransformer Ours(bool scaled, int threads) => ml.Transforms.LoadImagePixels(new ImagePixelsOptions
        {
            Width = 64, Height = 64, Resizing = ImageResizingEstimator.ResizingKind.IsoCrop, ScaledDecode = scaled, DecodeThreads = threads,
        }).Fit(input);
        var ours = Ours(true, options.Threads);
        var oursOne = Ours(true, 1);
        var oursFull = Ours(false, options.Threads);

        var few = options with { Repeats = Math.Min(options.Repeats, 3), TargetSeconds = Math.Min(options.TargetSeconds, 0.4) };
        var ratios = new List<(double Scaled, double One, double Full)>();
        for (int round = 1; round <= Rounds; round++)
        {
            var m = report.Add($"ML.NET LoadImages→ResizeImages(64×64)→ExtractPixels, {Images} JPEGs, round {round}", "images/s", Images, Timing.SecondsPerCall(() => Drain(mlnet, input), few));
            var s = report.Add($"LoadImagePixels 64×64 scaled decode, {options.Threads} threads, round {round}", "images/s", Images, Timing.SecondsPerCall(() => Drain(ours, input), few));
            var o = report.Add($"LoadImagePixels 64×64 scaled decode, 1 thread, round {round}", "images/s", Images, Timing.SecondsPerCall(() => Drain(oursOne, input), few));
            var f = report.Add($"LoadImagePixels 64×64 full decode (ML.NET's pixels), {options.Threads} threads, round {round}", "images/s", Images, Timing.SecondsPerCall(() => Drain(oursFull, input), few));
            ratios.Add((s.Median / m.Median, o.Median / m.Median, f.Median / m.Median));
        }
        foreach (var (r, i) in ratios.Select((r, i) => (r, i + 1)))
            Console.WriteLine($"round {i}: ours/ML.NET = {r.Scaled:F2}× (scaled, {options.Threads} threads), {r.One:F2}× (scaled, 1 thread), {r.Full:F2}× (full decode, {options.Threads} threads)");
    }

    /// <summary>One pass: every row's pixel vector read by a cursor, as a trainer reads it.</summary>
    private static void Drain(ITransformer transformer, IDataView input)
    {
        var output = transformer.Transform(input);
        var col = output.Schema["Features"];
        using var cursor = output.GetRowCursor([col]);
        var get = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> v = default;
        int rows = 0;
        while (cursor.MoveNext()) { get(ref v); rows++; }
        if (rows != Images) throw new InvalidOperationException($"{rows} rows read, {Images} expected.");
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }
}

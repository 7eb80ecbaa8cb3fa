using System.Globalization;
using DlBook.Export.Scoring;
using DlBook.Fuzz.Mutations;
using DlBook.Pipelines.Images;
using DlBook.Trainers.Packaging;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Fuzz;

/// <summary>The formats the program reads, each with its mutations and the CLI commands and library calls that read it.</summary>
public static class Formats
{
    public static FuzzFormat[] All(Seeds s) =>
    [
        new("idx", (rng, log, name) => IdxCase(s, rng, log, name),
        [
            new("cli evaluate", c => ["evaluate", "--model", s.MlpZip, "--images", c["images"], "--labels", c["labels"]]),
            new("cli score", c => ["score", "--model", s.Onnx, "--input", c["images"], "--labels", c["labels"], "--out", Out(c)], Check: NoNaN),
            new("library LoadFromIdx", Library: c => Drain(new MLContext(1).Data.LoadFromIdx(c["images"], c["labels"]))),
        ]),
        new("csv", (rng, log, name) => Mutated(s.Features, name, ".csv", rng, log, Csv.Cells(','), 0.8),
        [
            new("cli predict", c => ["predict", "--model", s.MlpZip, "--input", c.Mutated, "--out", Out(c)], Check: c => FeaturesValid(c) ?? NoNaN(c)),
            new("cli score", c => ["score", "--model", s.Onnx, "--input", c.Mutated, "--out", Out(c)], Check: c => FeaturesValid(c) ?? NoNaN(c)),
        ]),
        new("series-csv", (rng, log, name) => Mutated(s.Series, name, ".csv", rng, log, Csv.Cells(','), 0.8),
        [
            new("cli train rnn --task Series", c => ["train", "rnn", "--task", "Series", "--series", c.Mutated, "--length", "6", "--hidden", "4",
                "--epochs", "1", "--out", Out(c, "rnn.zip"), "--quiet"]),
        ]),
        new("text-tsv", (rng, log, name) => Mutated(s.Texts, name, ".tsv", rng, log, Csv.Cells('\t'), 0.8),
        [
            new("cli train rnn --task Text", c => ["train", "rnn", "--task", "Text", "--text", c.Mutated, "--hidden", "4", "--embedding", "4",
                "--max-tokens", "10", "--vocabulary", "100", "--epochs", "1", "--out", Out(c, "rnn.zip"), "--quiet"]),
        ]),
        new("jpeg", (rng, log, name) => Mutated(s.Jpeg, name, ".jpg", rng, log, Images.Jpeg, 0.7), ImageTargets(s)),
        new("png", (rng, log, name) => Mutated(s.Png, name, ".png", rng, log, Images.Png, 0.7), ImageTargets(s)),
        new("model-zip", (rng, log, name) => ZipCase(s, rng, log, name),
        [
            new("cli evaluate", c => c.Has("cnn") ? null : ["evaluate", "--model", c.Mutated, "--images", s.Images, "--labels", s.Labels]),
            new("cli predict", c => c.Has("cnn") ? ["predict", "--model", c.Mutated, s.Jpeg] : ["predict", "--model", c.Mutated, "--input", s.Features, "--out", Out(c)],
                Check: NoNaN),
            new("library ModelFiles.Load", Library: c =>
            {
                var ml = new MLContext(1);
                var model = ModelFiles.Load(ml, c.Mutated, out _);
                Drain(model.Transform(c.Has("cnn") ? ImageRow.View(ml, s.Jpeg) : ml.Data.LoadFromIdx(s.Images, s.Labels)));
            }),
        ]),
        new("onnx", (rng, log, name) => Mutated(s.Onnx, name, ".onnx", rng, log, Protobuf.Fields, 0.7),
        [
            new("cli score csv", c => ["score", "--model", c.Mutated, "--input", s.Features, "--out", Out(c)], Check: NoNaN),
            new("cli score idx", c => ["score", "--model", c.Mutated, "--input", s.Images, "--out", Out(c)], Check: NoNaN),
            new("library OnnxBatchScorer", Library: c =>
            {
                using var scorer = new OnnxBatchScorer(c.Mutated, new OnnxBatchScorerOptions { BatchSize = 32 });
                scorer.Score(new MLContext(1).Data.LoadFromIdx(s.Images), (_, _, _) => { });
            }),
        ]),
    ];

    private static Target[] ImageTargets(Seeds s) =>
    [
        new("cli predict", c => ["predict", "--model", s.CnnZip, c.Mutated]),
        new("library LoadImagePixels", Library: c =>
        {
            var ml = new MLContext(1);
            var view = ImageRow.View(ml, c.Mutated);
            var pixels = ml.Transforms.LoadImagePixels(new ImagePixelsOptions { Width = 16, Height = 16, BadImages = BadImagePolicy.Throw }).Fit(view);
            Drain(pixels.Transform(view));
        }),
    ];

    // The images or the labels file mutated, gzipped or not (the gzip made before or after the mutation).
    private static CaseInput IdxCase(Seeds s, Random rng, List<string> log, string name)
    {
        bool images = rng.Next(10) < 7, gz = rng.Next(2) == 0, mutateGzip = gz && rng.Next(3) == 0;
        var seed = File.ReadAllBytes(images ? s.Images : s.Labels);
        var path = Path.Combine(Path.GetDirectoryName(name)!, $"{Path.GetFileName(name)}-{(images ? "images-idx3" : "labels-idx1")}-ubyte{(gz ? ".gz" : "")}");
        log.Add($"{(images ? "images" : "labels")}{(gz ? ", gzipped" + (mutateGzip ? " then mutated" : " after the mutation") : "")}");
        byte[] bytes = mutateGzip ? Bytes.Several(rng, Seeds.Gzip(seed), log, Bytes.Any, 0)
            : Bytes.Several(rng, seed, log, Idx.Header, 0.6) is var m && gz ? Seeds.Gzip(m) : m;
        File.WriteAllBytes(path, bytes);
        return Input(path, ("images", images ? path : s.Images), ("labels", images ? s.Labels : path));
    }

    private static CaseInput ZipCase(Seeds s, Random rng, List<string> log, string name)
    {
        bool cnn = rng.Next(4) == 0;
        var c = Mutated(cnn ? s.CnnZip : s.MlpZip, name, ".zip", rng, log, Zip.Structure, 0.75);
        if (cnn) log.Insert(0, "cnn model");
        return cnn ? Input(c.Mutated, ("model", c.Mutated), ("cnn", s.CnnZip)) : c;
    }

    private static CaseInput Mutated(string seed, string name, string extension, Random rng, List<string> log,
        Func<Random, byte[], List<string>, byte[]> structured, double share)
    {
        var path = name + extension;
        File.WriteAllBytes(path, Bytes.Several(rng, File.ReadAllBytes(seed), log, structured, share));
        return Input(path, ("file", path));
    }

    private static CaseInput Input(string mutated, params (string Role, string Path)[] files) =>
        new(mutated, files.ToDictionary(f => f.Role, f => f.Path), Path.Combine(Path.GetDirectoryName(mutated)!, "out"));

    private static string Out(CaseInput c, string name = "predictions.csv")
    {
        Directory.CreateDirectory(c.OutDir);
        return Path.Combine(c.OutDir, name);
    }

    // A run that succeeded wrote its predictions, and none of them is NaN or infinite.
    private static string? NoNaN(CaseInput c)
    {
        var path = Path.Combine(c.OutDir, "predictions.csv");
        if (!File.Exists(path)) return c.Has("cnn") ? null : "exit 0 but no predictions file";
        foreach (var line in File.ReadLines(path).Skip(1))
            if (line.Contains("NaN", StringComparison.Ordinal) || line.Contains("Infinity", StringComparison.Ordinal) || line.Contains('∞'))
                return $"exit 0 with a non-finite prediction: {line[..Math.Min(line.Length, 120)]}";
        return null;
    }

    // The features CSV a run accepted must be one: every non-blank row exactly 784 finite numbers.
    private static string? FeaturesValid(CaseInput c)
    {
        int lineNo = 0;
        foreach (var raw in File.ReadLines(c.Mutated))
        {
            lineNo++;
            var line = raw.TrimStart('\uFEFF');
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cells = line.Split(line.Contains('\t') ? '\t' : ',');
            if (cells.Length != Seeds.Pixels) return $"exit 0 on a row of {cells.Length} cells (line {lineNo}), not {Seeds.Pixels}";
            foreach (var cell in cells)
                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !float.IsFinite(v))
                    return $"exit 0 on the cell '{cell[..Math.Min(cell.Length, 40)]}' (line {lineNo}), which is not a finite number";
        }
        return null;
    }

    /// <summary>Reads every row of every column a cursor can hand out as a number, a vector of numbers, text or a key.</summary>
    public static void Drain(IDataView view)
    {
        using var cursor = view.GetRowCursor(view.Schema);
        var getters = view.Schema.Where(col => !col.IsHidden).Select(col => Getter(cursor, col)).OfType<Action>().ToArray();
        while (cursor.MoveNext())
            foreach (var g in getters) g();
    }

    private static Action? Getter(DataViewRowCursor cursor, DataViewSchema.Column col)
    {
        switch (col.Type)
        {
            case VectorDataViewType v when v.ItemType == NumberDataViewType.Single:
                var vg = cursor.GetGetter<VBuffer<float>>(col);
                VBuffer<float> vb = default;
                return () => vg(ref vb);
            case NumberDataViewType when col.Type == NumberDataViewType.Single:
                var fg = cursor.GetGetter<float>(col);
                float f = 0;
                return () => fg(ref f);
            case KeyDataViewType:
                var kg = cursor.GetGetter<uint>(col);
                uint k = 0;
                return () => kg(ref k);
            case TextDataViewType:
                var tg = cursor.GetGetter<ReadOnlyMemory<char>>(col);
                ReadOnlyMemory<char> t = default;
                return () => tg(ref t);
            default:
                return null;
        }
    }

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "cats";   // a model zip's chain maps the label first

        public static IDataView View(MLContext ml, string path) => ml.Data.LoadFromEnumerable(new[] { new ImageRow { ImagePath = path } });
    }
}

using System.CommandLine;
using DlBook.Pipelines.DataSets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Cli.Commands;

/// <summary>
/// The data options shared by train, evaluate, predict and score: a known IDX data set and split
/// (--data mnist --split test), explicit IDX files (--images, --labels), or a CSV/TSV of features (--input).
/// </summary>
public sealed class DataInput
{
    /// <summary>--data: a known IDX data set.</summary>
    public Option<string?> DataSet { get; } = new("--data") { Description = "Known IDX data set: mnist or fashion-mnist (see 'dlbook data list')." };
    /// <summary>--split: train or test.</summary>
    public Option<string?> Split { get; } = new("--split") { Description = "Which split of --data: train or test (default: the command's — test to evaluate and score, train to train)." };
    /// <summary>--images: an IDX images file.</summary>
    public Option<string?> Images { get; } = new("--images") { Description = "IDX images file (gzipped or not)." };
    /// <summary>--labels: an IDX labels file.</summary>
    public Option<string?> Labels { get; } = new("--labels") { Description = "IDX labels file (gzipped or not)." };
    /// <summary>--input: CSV/TSV of features (every column a feature) or an IDX images file.</summary>
    public Option<string?> Input { get; } = new("--input") { Description = "Input file: CSV/TSV whose columns are the features, or an IDX images file." };
    /// <summary>--has-header for CSV input.</summary>
    public Option<bool> HasHeader { get; } = new("--has-header") { Description = "The CSV/TSV input starts with a header row." };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command, bool withInput)
    {
        command.Options.Add(DataSet);
        command.Options.Add(Split);
        command.Options.Add(Images);
        command.Options.Add(Labels);
        if (withInput)
        {
            command.Options.Add(Input);
            command.Options.Add(HasHeader);
        }
    }

    /// <summary>Loads the view the options describe; <paramref name="fallbackDataSet"/> applies when nothing was given.</summary>
    public IDataView Load(MLContext ml, ParseResult r, string? fallbackDataSet = null, string? defaultSplit = null)
    {
        var input = r.GetValue(Input);
        var images = r.GetValue(Images);
        var labels = r.GetValue(Labels);
        if (input is not null)
        {
            if (IsIdx(input)) return ml.Data.LoadFromIdx(RequireFile(input), labels is null ? null : RequireFile(labels));
            return LoadCsv(ml, RequireFile(input), r.GetValue(HasHeader));
        }
        if (images is not null) return ml.Data.LoadFromIdx(RequireFile(images), labels is null ? null : RequireFile(labels));
        var name = r.GetValue(DataSet) ?? fallbackDataSet
            ?? throw new ArgumentException("No data given: use --data mnist [--split test], --images/--labels, or --input FILE.");
        var split = r.GetValue(Split) ?? defaultSplit ?? "test";
        var (img, lbl) = IdxFiles(name, split, r.GetValue(CommonOptions.DataDir));
        return ml.Data.LoadFromIdx(img, lbl);
    }

    /// <summary>The image and label files of a known IDX data set's split.</summary>
    public static (string Images, string Labels) IdxFiles(string dataSet, string split, string? dataDir)
    {
        var ds = DataSetRegistry.Get(dataSet);
        if (!ds.Files.Any(f => f.FileName.Contains("idx3", StringComparison.Ordinal)))
            throw new ArgumentException($"Data set '{ds.Name}' is not an IDX image set; use --input for other files.");
        var prefix = split switch
        {
            "train" => "train",
            "test" => "t10k",
            _ => throw new ArgumentException($"--split must be 'train' or 'test', not '{split}'."),
        };
        var loc = DataSetLocator.Locate(ds, dataDir);
        return (loc.PathOf($"{prefix}-images-idx3-ubyte.gz"), loc.PathOf($"{prefix}-labels-idx1-ubyte.gz"));
    }

    private static IDataView LoadCsv(MLContext ml, string path, bool hasHeader)
    {
        using var reader = new StreamReader(path);
        string? line = reader.ReadLine();
        if (hasHeader) line = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(line)) throw new InvalidDataException($"'{path}' has no data rows.");
        char sep = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || line.Contains('\t') ? '\t' : ',';
        int fields = line.Split(sep).Length;
        return ml.Data.LoadFromTextFile(path, new TextLoader.Options
        {
            Columns = [new TextLoader.Column("Features", DataKind.Single, 0, fields - 1)],
            Separators = [sep],
            HasHeader = hasHeader,
        });
    }

    private static bool IsIdx(string path) => path.Contains("idx", StringComparison.OrdinalIgnoreCase) || path.EndsWith("-ubyte", StringComparison.Ordinal);

    private static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"Input file '{path}' does not exist.", path);
}

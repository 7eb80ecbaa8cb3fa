using System.CommandLine;
using DlBook.Pipelines.DataSets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DlBook.Cli.Commands;

/// <summary>
/// The data options shared by train, evaluate and predict: a known IDX data set and split (--data mnist --split test),
/// explicit IDX files (--images, --labels), or a CSV/TSV of features (--input). Loaded as ML.NET data views:
/// <c>LoadFromIdx</c> (Features Vector&lt;Single, 784&gt; in 0..1, Label Single) or <c>LoadFromTextFile</c> (every column a feature).
/// </summary>
public sealed class DataInput
{
    private readonly string _defaultSplit;
    private readonly bool _withImages;

    /// <summary>
    /// Creates the options; <paramref name="defaultSplit"/> is the split of --data when --split is not given. Without
    /// <paramref name="withImagesOption"/> the command defines --images itself and passes an IDX file to <see cref="Load"/>.
    /// </summary>
    public DataInput(string defaultSplit, bool withImagesOption = true)
    {
        _defaultSplit = defaultSplit;
        _withImages = withImagesOption;
        Split = new Option<string>("--split")
        {
            Description = "Which split of --data: train or test.",
            DefaultValueFactory = _ => defaultSplit,
        };
        Split.Validators.Add(r =>
        {
            if (!r.Implicit && r.Tokens.Count > 0 && r.Tokens[^1].Value is not ("train" or "test"))
                r.AddError($"--split must be train or test (got '{r.Tokens[^1].Value}').");
        });
    }

    /// <summary>--data: a known IDX data set.</summary>
    public Option<string?> DataSet { get; } = new("--data") { Description = "Known IDX data set: mnist or fashion-mnist (see 'dlbook data list')." };
    /// <summary>--split: train or test.</summary>
    public Option<string> Split { get; }
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
        if (_withImages) command.Options.Add(Images);
        command.Options.Add(Labels);
        if (withInput)
        {
            command.Options.Add(Input);
            command.Options.Add(HasHeader);
        }
    }

    /// <summary>
    /// Loads the view the options describe; <paramref name="fallbackDataSet"/> applies when nothing was given;
    /// <paramref name="idxImages"/> is the IDX images file of a command that defines --images itself.
    /// </summary>
    public LoadedData Load(MLContext ml, ParseResult r, string? fallbackDataSet = null, string? idxImages = null)
    {
        var input = r.GetValue(Input);
        var images = idxImages ?? (_withImages ? r.GetValue(Images) : null);
        var labels = r.GetValue(Labels);
        if (input is not null)
        {
            if (IsIdx(input))
                return new(ml.Data.LoadFromIdx(RequireFile(input, "--input"), labels is null ? null : RequireFile(labels, "--labels")), $"--input '{input}'", labels is not null);
            return new(LoadCsv(ml, RequireFile(input, "--input"), r.GetValue(HasHeader)), $"--input '{input}'", false)
                { TextFile = input, TextHasHeader = r.GetValue(HasHeader) };
        }
        if (images is not null)
            return new(ml.Data.LoadFromIdx(RequireFile(images, "--images"), labels is null ? null : RequireFile(labels, "--labels")), $"--images '{images}'", labels is not null);
        if (labels is not null) throw new ArgumentException("--labels needs --images (or --input) with the images it labels.");
        var name = r.GetValue(DataSet) ?? fallbackDataSet
            ?? throw new ArgumentException("No data given: use --data mnist [--split test], --images/--labels, or --input FILE.");
        var split = r.GetValue(Split) ?? _defaultSplit;
        var (img, lbl) = IdxFiles(name, split, r.GetValue(CommonOptions.DataDir));
        return new(ml.Data.LoadFromIdx(img, lbl), $"--data {name} --split {split}", true);
    }

    /// <summary>The image and label files of a known IDX data set's split.</summary>
    public static (string Images, string Labels) IdxFiles(string dataSet, string split, string? dataDir)
    {
        var ds = DataSetRegistry.Get(dataSet);
        if (!ds.Files.Any(f => f.FileName.Contains("idx3", StringComparison.Ordinal)))
            throw new ArgumentException($"--data {ds.Name} is not an IDX image set; use --input for other files.");
        var prefix = split switch
        {
            "train" => "train",
            "test" => "t10k",
            _ => throw new ArgumentException($"--split must be 'train' or 'test', not '{split}'."),
        };
        var loc = DataSetLocator.Locate(ds, dataDir);
        return (loc.PathOf($"{prefix}-images-idx3-ubyte.gz"), loc.PathOf($"{prefix}-labels-idx1-ubyte.gz"));
    }

    // Every column is a feature: ML.NET's TextLoader with one Single vector column over all fields of the first data row.
    private static IDataView LoadCsv(MLContext ml, string path, bool hasHeader)
    {
        string? line;
        using (var reader = new StreamReader(path))
        {
            line = reader.ReadLine();
            if (hasHeader) line = reader.ReadLine();
        }
        if (string.IsNullOrWhiteSpace(line)) throw new InvalidDataException($"--input '{path}' has no data rows.");
        char sep = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || line.Contains('\t') ? '\t' : ',';
        int fields = line.Split(sep).Length;
        CheckCellCounts(path, hasHeader, sep, fields);
        return ml.Data.LoadFromTextFile(path, new TextLoader.Options
        {
            Columns = [new TextLoader.Column("Features", DataKind.Single, 0, fields - 1)],
            Separators = [sep],
            HasHeader = hasHeader,
            MissingRealsAsNaNs = true,   // else an empty cell is read as 0 and scored; as NaN it is an error naming it
        });
    }

    // ML.NET's TextLoader reads the first row's number of cells from every row, silently dropping the cells a longer
    // row has and reading those a shorter row lacks as NaN: every data row must have as many cells as the first.
    private static void CheckCellCounts(string path, bool hasHeader, char sep, int fields)
    {
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (++lineNo == 1 && hasHeader || string.IsNullOrWhiteSpace(line)) continue;
            int cells = line.AsSpan().Count(sep) + 1;
            if (cells != fields)
                throw new InvalidDataException($"--input '{path}', line {lineNo}: {cells:N0} cells where the first data row has {fields:N0}. Every row needs one cell per feature; fix or drop the line.");
        }
    }

    /// <summary>
    /// Why data row <paramref name="row"/> (0-based) of a CSV/TSV read by <see cref="Load"/> gave no finite score: ML.NET's
    /// TextLoader reads a cell it cannot parse as NaN, so the cell is looked up in the file to name it.
    /// </summary>
    public static InvalidDataException NotANumber(LoadedData data, long row, string? model = null)
    {
        var path = data.TextFile!;
        long seen = 0;
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (data.TextHasHeader && lineNo == 1 || string.IsNullOrWhiteSpace(line)) continue;
            if (seen++ < row) continue;
            char sep = path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || line.Contains('\t') ? '\t' : ',';
            var fields = line.Split(sep);
            for (int j = 0; j < fields.Length; j++)
                if (!float.TryParse(fields[j], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) || !float.IsFinite(v))
                    return new InvalidDataException($"--input '{path}', line {lineNo}, column {j + 1}: '{fields[j]}' is not a number. Every column is a feature; fix the cell (or pass --has-header for a header row).");
            // Every cell is a finite number, so the non-finite score is the model's own.
            return model is null
                ? new InvalidDataException($"--input '{path}', line {lineNo}: the row gives no finite score (a feature is missing or out of range).")
                : new InvalidDataException($"--model '{model}' gives no finite score for --input '{path}', line {lineNo}, whose features are all finite numbers: the model's weights are damaged (or it diverged). Train or export it again.");
        }
        return new InvalidDataException($"--input '{path}': data row {row + 1} gives no finite score (a feature is missing or not a number).");
    }

    /// <summary>True when <paramref name="path"/> is named as an IDX file (…idx…, …-ubyte).</summary>
    public static bool IsIdx(string path) => path.Contains("idx", StringComparison.OrdinalIgnoreCase) || path.EndsWith("-ubyte", StringComparison.Ordinal);

    private static string RequireFile(string path, string flag) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{flag} '{path}' does not exist.", path);
}

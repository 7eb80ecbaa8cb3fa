using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using CliProgram = DlBook.Cli.Program;
using SkiaSharp;

namespace DlBook.Fuzz;

/// <summary>
/// The real files each format's mutations start from, made at run time in the work folder from ../shared/data:
/// a 100-image IDX slice of MNIST's test set, a CSV of 20 of its rows, a small MLP trained through the CLI (its model
/// zip and its ONNX export), a CNN trained on 12 dogs-vs-cats images, one JPEG and its PNG, a time series and texts.
/// </summary>
public sealed class Seeds
{
    public const int IdxRows = 100;
    public const int CsvRows = 20;
    public const int Pixels = 784;

    private Seeds(string dir) => Dir = dir;

    public string Dir { get; }
    public string Images => Path.Combine(Dir, "seed-images-idx3-ubyte");
    public string Labels => Path.Combine(Dir, "seed-labels-idx1-ubyte");
    public string Features => Path.Combine(Dir, "seed-features.csv");
    public string MlpZip => Path.Combine(Dir, "seed-mlp.zip");
    public string Onnx => Path.Combine(Dir, "seed-mlp.onnx");
    public string CnnZip => Path.Combine(Dir, "seed-cnn.zip");
    public string Jpeg => Path.Combine(Dir, "seed-cat.jpg");
    public string Png => Path.Combine(Dir, "seed-cat.png");
    public string Series => Path.Combine(Dir, "seed-series.csv");
    public string Texts => Path.Combine(Dir, "seed-texts.tsv");

    public static Seeds Make(string dir, string data)
    {
        Directory.CreateDirectory(dir);
        var s = new Seeds(dir);
        var images = IdxSlice(Path.Combine(data, "mnist", "t10k-images-idx3-ubyte.gz"), 16, Pixels);
        var labels = IdxSlice(Path.Combine(data, "mnist", "t10k-labels-idx1-ubyte.gz"), 8, 1);
        File.WriteAllBytes(s.Images, images);
        File.WriteAllBytes(s.Labels, labels);
        var csv = new StringBuilder();
        for (int r = 0; r < CsvRows; r++)
            csv.AppendJoin(',', images.AsSpan(16 + r * Pixels, Pixels).ToArray().Select(b => (b / 255f).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture))).Append('\n');
        File.WriteAllText(s.Features, csv.ToString());
        File.WriteAllLines(s.Series, File.ReadLines(Path.Combine(data, "timeseries", "airline-passengers.csv")).Take(61));
        File.WriteAllLines(s.Texts, File.ReadLines(Path.Combine(data, "sms-spam", "SMSSpamCollection")).Take(150));

        var cats = Path.Combine(data, "dogs-vs-cats", "train");
        var folder = Path.Combine(dir, "cnn-images");
        foreach (var kind in new[] { "cats", "dogs" })
        {
            Directory.CreateDirectory(Path.Combine(folder, kind));
            foreach (var f in Directory.GetFiles(Path.Combine(cats, kind)).Order(StringComparer.Ordinal).Take(6))
                File.Copy(f, Path.Combine(folder, kind, Path.GetFileName(f)), overwrite: true);
        }
        File.Copy(Directory.GetFiles(Path.Combine(folder, "cats")).Order(StringComparer.Ordinal).First(), s.Jpeg, overwrite: true);
        using (var bitmap = SKBitmap.Decode(s.Jpeg))
        using (var png = bitmap.Encode(SKEncodedImageFormat.Png, 100))
            File.WriteAllBytes(s.Png, png.ToArray());

        Cli("train", "mlp", "--data-dir", data, "--hidden", "10", "--epochs", "1", "--train-rows", "500", "--validation-rows", "100",
            "--seed", "1", "--out", s.MlpZip, "--quiet");
        Cli("export", "--model", s.MlpZip, "--out", s.Onnx, "--quiet");
        Cli("train", "cnn", "--data", folder, "--size", "16", "--epochs", "1", "--seed", "1", "--out", s.CnnZip, "--quiet");
        return s;
    }

    private static void Cli(params string[] args)
    {
        var err = new StringWriter();
        int code = CliProgram.Run(args, TextWriter.Null, err);
        if (code != 0) throw new InvalidOperationException($"Making a seed failed: dlbook {string.Join(' ', args)} exited {code}: {err}");
    }

    // The header and the first IdxRows items of a gzipped IDX file, with the count set to IdxRows.
    private static byte[] IdxSlice(string gz, int header, int itemSize)
    {
        using var s = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
        var bytes = new byte[header + IdxRows * itemSize];
        s.ReadExactly(bytes);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), IdxRows);
        return bytes;
    }

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }
}

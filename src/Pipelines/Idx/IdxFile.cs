using System.Buffers.Binary;
using System.IO.Compression;
using DlBook.Pipelines.Data;

namespace DlBook.Pipelines.Idx;

/// <summary>
/// One IDX ubyte file (LeCun's MNIST format): a big-endian header — magic 0x0000080N (N = number of
/// dimensions, type byte 0x08 = unsigned byte), then N 32-bit sizes — and the bytes. Gzipped files are
/// recognised by the gzip magic 1F 8B, not by the extension.
/// </summary>
internal sealed class IdxFile
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    private IdxFile(string path, bool gzipped, int[] dims)
    {
        Path = path;
        Gzipped = gzipped;
        Dimensions = dims;
    }

    public string Path { get; }
    public bool Gzipped { get; }
    /// <summary>The sizes after the magic: [count] for labels, [count, rows, cols] for images.</summary>
    public int[] Dimensions { get; }
    public int Count => Dimensions[0];
    public int ItemSize => Dimensions.Skip(1).Aggregate(1, (a, b) => a * b);
    private int HeaderBytes => 4 + 4 * Dimensions.Length;
    private string Kind => Dimensions.Length == 1 ? "labels" : "images";

    /// <summary>Reads and checks the header; for an uncompressed file also checks the length against it.</summary>
    public static IdxFile Open(string path, int expectedMagic)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file '{path}' not found. Check the path (MNIST files are e.g. train-images-idx3-ubyte.gz); `dlbook data` can fetch MNIST.", path);
        bool gz = IsGzip(path);
        using var stream = OpenStream(path, gz);
        int expectedDims = expectedMagic & 0xFF;
        string expectedKind = expectedDims == 1 ? "labels" : "images";
        var header = new byte[4 + 4 * expectedDims];
        int got = ReadFully(stream, header, path, gz, 0);
        if (got < 4)
            throw Truncated(path, gz, got, "magic number", $"the 4-byte magic number of an IDX {expectedKind} file");
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
        {
            string what = magic switch
            {
                ImagesMagic => "an IDX images file (magic 0x00000803)",
                LabelsMagic => "an IDX labels file (magic 0x00000801)",
                _ when (magic & 0xFFFF0000) == 0 && ((magic >> 8) & 0xFF) != 0x08 => $"an IDX file whose element type is 0x{(magic >> 8) & 0xFF:X2}, not unsigned bytes (0x08)",
                _ => $"not an IDX file (magic 0x{magic:X8})",
            };
            throw new DataFormatException(path, "byte offset 0 (magic number)",
                $"expected the {expectedKind} magic 0x{expectedMagic:X8} but the file is {what}.",
                expectedKind == "images"
                    ? "Pass the images file (…-images-idx3-ubyte[.gz]) as imagesPath and the labels file as labelsPath."
                    : "Pass the labels file (…-labels-idx1-ubyte[.gz]) as labelsPath and the images file as imagesPath.");
        }
        if (got < header.Length)
            throw Truncated(path, gz, got, "header", $"a {header.Length}-byte header");
        var dims = new int[expectedDims];
        string[] names = expectedDims == 1 ? ["item count"] : ["image count", "rows", "columns"];
        for (int i = 0; i < expectedDims; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * i));
            bool bad = i == 0 ? dims[i] < 0 : dims[i] < 1 || dims[i] > 65536;
            if (bad)
                throw new DataFormatException(path, $"byte offset {4 + 4 * i} ({names[i]})",
                    $"the header gives {names[i]} = {dims[i]}, which is not a valid size.",
                    "The file is damaged or not an IDX file; download it again.");
        }
        var file = new IdxFile(path, gz, dims);
        if ((long)file.Count * file.ItemSize > Array.MaxLength)
            throw new DataFormatException(path, "byte offset 4 (header)",
                $"the header promises {(long)file.Count * file.ItemSize:N0} bytes of data, more than one array can hold.", "Split the file.");
        if (!gz)
        {
            long expected = file.HeaderBytes + (long)file.Count * file.ItemSize;
            long actual = new FileInfo(path).Length;
            if (actual < expected)
                throw file.TruncatedData(actual - file.HeaderBytes, false);
            if (actual > expected)
                throw file.TrailingData(expected);
        }
        return file;
    }

    /// <summary>Reads the data after the header; throws naming the file and offset when it is short or long.</summary>
    public byte[] ReadData()
    {
        using var stream = OpenStream(Path, Gzipped);
        var header = new byte[HeaderBytes];
        ReadFully(stream, header, Path, Gzipped, 0);
        var data = new byte[Count * ItemSize];
        int got = ReadFully(stream, data, Path, Gzipped, HeaderBytes);
        if (got < data.Length) throw TruncatedData(got, Gzipped);
        Span<byte> one = stackalloc byte[1];
        if (ReadFully(stream, one, Path, Gzipped, HeaderBytes + data.Length) > 0) throw TrailingData(HeaderBytes + data.Length);
        return data;
    }

    private DataFormatException TruncatedData(long dataBytes, bool gz)
    {
        long complete = dataBytes / ItemSize;
        return new DataFormatException(Path, $"{(gz ? "decompressed " : "")}byte offset {HeaderBytes + dataBytes} (end of file)",
            $"the file ends after {dataBytes:N0} of {(long)Count * ItemSize:N0} data bytes ({complete:N0} of {Count:N0} {Kind} complete): it is truncated.",
            "Download or copy it again.");
    }

    private DataFormatException TrailingData(long expected) =>
        new(Path, $"{(Gzipped ? "decompressed " : "")}byte offset {expected} (after the last item)",
            $"the file has more data than its header announces ({Count:N0} {Kind} of {ItemSize} bytes).",
            "The header or the file is damaged; download it again.");

    private static DataFormatException Truncated(string path, bool gz, int got, string field, string need) =>
        new(path, $"{(gz ? "decompressed " : "")}byte offset {got} ({field})",
            $"the file ends after {got} bytes, before {need}: it is empty or truncated.", "Download or copy it again.");

    private static bool IsGzip(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        return f.Read(magic) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    private static Stream OpenStream(string path, bool gz)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return gz ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Reads until the buffer is full or the stream ends; a corrupt gzip stream becomes a <see cref="DataFormatException"/>.</summary>
    private static int ReadFully(Stream stream, Span<byte> buffer, string path, bool gz, long offset)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int n = stream.Read(buffer[total..]);
                if (n == 0) break;
                total += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"decompressed byte offset ≈{offset + total}",
                $"the gzip stream is corrupt ({e.Message}).", "Download the file again, or decompress it with gunzip to see the damage.", e);
        }
        return total;
    }
}

using SkiaSharp;

namespace DlBook.Pipelines.Tests.Images;

/// <summary>
/// Image files the tests write: JPEG and PNG from SkiaSharp's encoders (RGB, and grey-scale from a Gray8 bitmap), and
/// hand-made baseline JPEGs of flat 8 × 8 blocks (<see cref="FlatJpeg"/>) for what SkiaSharp cannot encode: CMYK.
/// </summary>
internal static class TestImages
{
    /// <summary>An opaque RGBA bitmap whose pixel (x, y) is <paramref name="colour"/>(x, y).</summary>
    public static SKBitmap Bitmap(int width, int height, Func<int, int, (byte R, byte G, byte B)> colour)
    {
        var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = colour(x, y);
                bmp.SetPixel(x, y, new SKColor(r, g, b));
            }
        return bmp;
    }

    public static byte[] Encode(SKBitmap bmp, SKEncodedImageFormat format, int quality = 95)
    {
        using var data = bmp.Encode(format, quality) ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}.");
        return data.ToArray();
    }

    public static string Write(string folder, string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A grey-scale (Gray8) bitmap: SkiaSharp encodes it as a one-component JPEG or a colour-type-0 PNG.</summary>
    public static SKBitmap GreyBitmap(int width, int height, Func<int, int, byte> value)
    {
        var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) pixels[y * width + x] = value(x, y);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bmp.GetPixels(), pixels.Length);
        return bmp;
    }

    /// <summary>The number of components in a JPEG's SOF0/SOF2 frame header (1 grey, 3 YCbCr, 4 CMYK).</summary>
    public static int JpegComponents(byte[] jpeg)
    {
        for (int i = 2; i + 9 < jpeg.Length;)
        {
            if (jpeg[i] != 0xFF) throw new InvalidDataException($"no marker at byte {i}");
            byte marker = jpeg[i + 1];
            int length = jpeg[i + 2] << 8 | jpeg[i + 3];
            if (marker is 0xC0 or 0xC1 or 0xC2) return jpeg[i + 9];
            i += 2 + length;
        }
        throw new InvalidDataException("no SOF marker");
    }

    /// <summary>
    /// A baseline JPEG (quantisation 1, DC-only blocks, so every 8 × 8 block decodes to exactly its values) of
    /// <paramref name="components"/> components at 1 × 1 sampling. <paramref name="block"/>(bx, by) gives the block's
    /// stored component values. With 4 components and <paramref name="adobe"/> an Adobe APP14 marker (transform 0) is
    /// written, as Photoshop's CMYK JPEGs have: such files store inverted CMYK (255 − ink), and decoders read them so.
    /// </summary>
    public static byte[] FlatJpeg(int width, int height, int components, Func<int, int, byte[]> block, bool adobe)
    {
        if (width % 8 != 0 || height % 8 != 0) throw new ArgumentException("width and height must be multiples of 8");
        var o = new List<byte> { 0xFF, 0xD8 };
        void Segment(byte marker, params byte[] payload)
        {
            o.Add(0xFF); o.Add(marker);
            o.Add((byte)((payload.Length + 2) >> 8)); o.Add((byte)(payload.Length + 2));
            o.AddRange(payload);
        }
        if (adobe) Segment(0xEE, [(byte)'A', (byte)'d', (byte)'o', (byte)'b', (byte)'e', 0, 100, 0, 0, 0, 0, 0]);
        Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        var sof = new List<byte> { 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)components };
        for (int c = 0; c < components; c++) sof.AddRange([(byte)(c + 1), 0x11, 0]);
        Segment(0xC0, [.. sof]);
        byte[] dcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
        Segment(0xC4, [0x00, .. dcCounts, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        byte[] acCounts = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Segment(0xC4, [0x10, .. acCounts, 0x00]);   // one AC symbol: end of block, code "0"
        var sos = new List<byte> { (byte)components };
        for (int c = 0; c < components; c++) sos.AddRange([(byte)(c + 1), 0x00]);
        sos.AddRange([0, 63, 0]);
        Segment(0xDA, [.. sos]);

        var dcCodes = CanonicalCodes(dcCounts);
        var bits = new BitWriter(o);
        var pred = new int[components];
        for (int by = 0; by < height / 8; by++)
            for (int bx = 0; bx < width / 8; bx++)
            {
                var values = block(bx, by);
                for (int c = 0; c < components; c++)
                {
                    int dc = 8 * (values[c] - 128), diff = dc - pred[c];
                    pred[c] = dc;
                    int size = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                    var (code, length) = dcCodes[size];
                    bits.Write(code, length);
                    if (size > 0) bits.Write(diff >= 0 ? diff : diff + (1 << size) - 1, size);
                    bits.Write(0, 1);   // EOB
                }
            }
        bits.Flush();
        o.AddRange([0xFF, 0xD9]);
        return [.. o];
    }

    private static (int Code, int Length)[] CanonicalCodes(byte[] counts)
    {
        var codes = new List<(int, int)>();
        int code = 0;
        for (int length = 1; length <= 16; length++, code <<= 1)
            for (int i = 0; i < counts[length - 1]; i++) codes.Add((code++, length));
        return [.. codes];
    }

    private sealed class BitWriter(List<byte> output)
    {
        private int _buffer, _count;

        public void Write(int value, int length)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                _buffer = _buffer << 1 | (value >> i & 1);
                if (++_count == 8) Emit();
            }
        }

        public void Flush()
        {
            while (_count != 0) { _buffer = _buffer << 1 | 1; if (++_count == 8) Emit(); }
        }

        private void Emit()
        {
            output.Add((byte)_buffer);
            if (_buffer == 0xFF) output.Add(0);   // byte stuffing
            _buffer = 0; _count = 0;
        }
    }
}

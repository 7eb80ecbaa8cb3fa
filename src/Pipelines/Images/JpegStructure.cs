namespace DlBook.Pipelines.Images;

/// <summary>
/// Checks a JPEG's marker structure, which SkiaSharp does not: libjpeg-turbo takes damaged entropy-coded data as
/// warnings (it fills in and goes on) and <see cref="SkiaSharp.SKCodec"/> then returns Success with garbage pixels.
/// Overwritten bytes in the scan data almost always hold a 0xFF followed by a byte no JPEG has there; a file that ends
/// before its end-of-image marker is truncated. Random damage without a 0xFF byte (a few flipped bits) is not found
/// this way, nor by any decoder short of its warnings.
/// </summary>
internal static class JpegStructure
{
    /// <summary>Null when the markers are well formed up to end-of-image; else what is wrong.</summary>
    public static string? Check(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) return "it does not start with a JPEG start-of-image marker.";
        int i = 2;
        while (true)
        {
            // Between segments: a marker, maybe after fill bytes 0xFF.
            if (i >= jpeg.Length) return $"the JPEG data ends early (no end-of-image marker; {jpeg.Length:N0} bytes).";
            if (jpeg[i] != 0xFF) return $"the JPEG data is corrupt (byte 0x{jpeg[i]:X2} at offset {i:N0} where a marker should be).";
            while (i < jpeg.Length && jpeg[i] == 0xFF) i++;
            if (i >= jpeg.Length) return $"the JPEG data ends early (no end-of-image marker; {jpeg.Length:N0} bytes).";
            byte marker = jpeg[i++];
            if (marker == 0xD9) return null;                                   // end of image
            if (marker is 0x00 or 0xD8 || (marker is >= 0x01 and <= 0xBF) || marker is >= 0xD0 and <= 0xD7)
                return $"the JPEG data is corrupt (marker 0xFF{marker:X2} at offset {i - 2:N0} is not valid there).";
            if (i + 2 > jpeg.Length) return $"the JPEG data ends early (in a marker segment; {jpeg.Length:N0} bytes).";
            int length = jpeg[i] << 8 | jpeg[i + 1];
            if (length < 2) return $"the JPEG data is corrupt (segment 0xFF{marker:X2} at offset {i - 2:N0} has length {length}).";
            i += length;
            if (marker != 0xDA) continue;
            // Entropy-coded data after start-of-scan: 0xFF is followed by 0x00 (a stuffed byte) or a restart marker;
            // anything else ends the scan and must be a marker that may follow one.
            while (true)
            {
                int ff = i < jpeg.Length ? jpeg[i..].IndexOf((byte)0xFF) : -1;
                if (ff < 0) return $"the JPEG data ends early (in the scan data; {jpeg.Length:N0} bytes).";
                i += ff + 1;
                if (i >= jpeg.Length) return $"the JPEG data ends early (in the scan data; {jpeg.Length:N0} bytes).";
                byte next = jpeg[i];
                if (next == 0x00 || next is >= 0xD0 and <= 0xD7) { i++; continue; }
                if (next == 0xFF) continue;                                     // fill byte before a marker
                if (next is 0xD9 or 0xC4 or 0xDB or 0xDA or 0xDD or 0xDC or 0xFE or (>= 0xE0 and <= 0xEF)) { i--; break; }
                return $"the JPEG data is corrupt (marker 0xFF{next:X2} inside the scan data at offset {i - 1:N0}).";
            }
        }
    }
}

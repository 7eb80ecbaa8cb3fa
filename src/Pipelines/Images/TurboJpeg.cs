using System.Runtime.InteropServices;

namespace DlBook.Pipelines.Images;

/// <summary>
/// Scaled JPEG decoding through the system's libjpeg-turbo (TurboJPEG API, <c>libturbojpeg.so.0</c>, Debian package
/// <c>libturbojpeg0</c>), whose SIMD colour conversion and upsampling the libjpeg-turbo inside SkiaSharp is built
/// without. Optional: when the library is not installed <see cref="Available"/> is false and every JPEG goes through
/// SkiaSharp. Only a clean decode is taken from it; any error or warning (truncated or corrupt data, CMYK) sends the
/// file back to SkiaSharp, whose verdict names what is wrong.
/// </summary>
internal static unsafe class TurboJpeg
{
    private const int PixelFormatRgbx = 2;     // TJPF_RGBX: R, G, B, then a byte set to 0xFF
    private const int FlagStopOnWarning = 8192; // TJFLAG_STOPONWARNING: a damaged scan is a failure, not a warning
    private const int ColorspaceCmyk = 3, ColorspaceYcck = 4;

    private static readonly IntPtr Library = Load();
    private static readonly delegate* unmanaged<IntPtr> InitDecompress;
    private static readonly delegate* unmanaged<IntPtr, byte*, nuint, int*, int*, int*, int*, int> DecompressHeader3;
    private static readonly delegate* unmanaged<IntPtr, byte*, nuint, byte*, int, int, int, int, int, int> Decompress2;
    private static readonly delegate* unmanaged<IntPtr, int> Destroy;

    [ThreadStatic] private static Handle? _handle;

    static TurboJpeg()
    {
        if (Library == IntPtr.Zero) return;
        if (!NativeLibrary.TryGetExport(Library, "tjInitDecompress", out var init)
            || !NativeLibrary.TryGetExport(Library, "tjDecompressHeader3", out var header)
            || !NativeLibrary.TryGetExport(Library, "tjDecompress2", out var decompress)
            || !NativeLibrary.TryGetExport(Library, "tjDestroy", out var destroy))
            return;
        InitDecompress = (delegate* unmanaged<IntPtr>)init;
        DecompressHeader3 = (delegate* unmanaged<IntPtr, byte*, nuint, int*, int*, int*, int*, int>)header;
        Decompress2 = (delegate* unmanaged<IntPtr, byte*, nuint, byte*, int, int, int, int, int, int>)decompress;
        Destroy = (delegate* unmanaged<IntPtr, int>)destroy;
    }

    /// <summary>True when libturbojpeg.so.0 was found and has the TurboJPEG 2 entry points.</summary>
    public static bool Available => Destroy != null;

    /// <summary>The JPEG's size and whether TurboJPEG can give it as RGB (not CMYK/YCCK); false when it cannot read the header.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> jpeg, out int width, out int height)
    {
        width = height = 0;
        var handle = ThreadHandle();
        if (handle == IntPtr.Zero) return false;
        int w, h, subsampling, colorspace;
        fixed (byte* src = jpeg)
            if (DecompressHeader3(handle, src, (nuint)jpeg.Length, &w, &h, &subsampling, &colorspace) != 0)
                return false;
        if (colorspace is ColorspaceCmyk or ColorspaceYcck || w <= 0 || h <= 0) return false;
        (width, height) = (w, h);
        return true;
    }

    /// <summary>
    /// Decodes at exactly <paramref name="width"/> × <paramref name="height"/>, one of the JPEG's DCT scales (as
    /// SkiaSharp's <c>GetScaledDimensions</c> gives them), into RGBX rows of 4·width bytes; false on any error or warning.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> jpeg, byte* rgbx, int width, int height)
    {
        var handle = ThreadHandle();
        if (handle == IntPtr.Zero) return false;
        fixed (byte* src = jpeg)
            return Decompress2(handle, src, (nuint)jpeg.Length, rgbx, width, 4 * width, height, PixelFormatRgbx, FlagStopOnWarning) == 0;
    }

    private static IntPtr ThreadHandle()
    {
        if (!Available) return IntPtr.Zero;
        _handle ??= new Handle(InitDecompress());
        return _handle.IsInvalid ? IntPtr.Zero : _handle.DangerousGetHandle();
    }

    private static IntPtr Load() =>
        NativeLibrary.TryLoad("libturbojpeg.so.0", out var library) ? library
        : NativeLibrary.TryLoad("libturbojpeg", out library) ? library : IntPtr.Zero;

    // One decompressor per thread, released when the thread is gone and its handle collected.
    private sealed class Handle : SafeHandle
    {
        public Handle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle() => Destroy(handle) == 0;
    }
}

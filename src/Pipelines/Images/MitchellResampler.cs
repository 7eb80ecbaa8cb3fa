using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DlBook.Pipelines.Images;

/// <summary>
/// Draws an opaque RGBA image into a rectangle of an RGBA canvas with the Mitchell–Netravali cubic (B = C = 1/3),
/// computing what SkiaSharp's <c>DrawImage</c> with <c>SKCubicResampler.Mitchell</c> computes (pixel centres mapped
/// onto the source, four taps per axis at edge-clamped indices, rounded to bytes) but as two one-dimensional passes
/// over floats instead of sixteen taps per pixel: rows first, then columns. Bytes agree with SkiaSharp's to within
/// one (float rounding differs). Canvas pixels outside the rectangle are left as they are.
/// </summary>
internal static unsafe class MitchellResampler
{
    /// <summary>The Mitchell–Netravali kernel, B = C = 1/3, at distance <paramref name="d"/> (zero from 2 on).</summary>
    public static float Weight(float d)
    {
        d = Math.Abs(d);
        if (d < 1) return ((7f * d - 12f) * d * d + 16f / 3f) / 6f;
        if (d < 2) return (((-7f / 3f * d + 12f) * d - 20f) * d + 32f / 3f) / 6f;
        return 0f;
    }

    /// <summary>
    /// The <paramref name="sourceWidth"/> × <paramref name="sourceHeight"/> RGBA image at <paramref name="source"/>
    /// (rows of 4·width bytes, alpha 255) drawn into the rectangle at (<paramref name="left"/>, <paramref name="top"/>)
    /// of <paramref name="width"/> × <paramref name="height"/>, clipped to the <paramref name="canvasWidth"/> ×
    /// <paramref name="canvasHeight"/> canvas at <paramref name="canvas"/>.
    /// </summary>
    public static void Draw(byte* source, int sourceWidth, int sourceHeight, byte* canvas, int canvasWidth, int canvasHeight,
        int left, int top, int width, int height)
    {
        int x0 = Math.Max(0, left), x1 = Math.Min(canvasWidth, left + width);
        int y0 = Math.Max(0, top), y1 = Math.Min(canvasHeight, top + height);
        if (x0 >= x1 || y0 >= y1) return;
        int nx = x1 - x0, ny = y1 - y0;
        var ints = ArrayPool<int>.Shared.Rent(4 * (nx + ny));
        var floats = ArrayPool<float>.Shared.Rent(4 * (nx + ny));
        float[]? rows = null;
        try
        {
            fixed (int* xi = ints)
            fixed (float* xw = floats)
            {
                int* yi = xi + 4 * nx;
                float* yw = xw + 4 * nx;
                Taps(x0, x1, left, width, sourceWidth, xi, xw);
                Taps(y0, y1, top, height, sourceHeight, yi, yw);
                int first = yi[0], last = yi[4 * ny - 1];
                int stride = 4 * nx;
                rows = ArrayPool<float>.Shared.Rent((last - first + 1) * stride);
                fixed (float* t = rows)
                {
                    for (int r = first; r <= last; r++)
                        Horizontal(source + (long)r * 4 * sourceWidth, xi, xw, nx, t + (long)(r - first) * stride);
                    for (int y = 0; y < ny; y++)
                    {
                        float* w = yw + 4 * y;
                        int* i = yi + 4 * y;
                        Vertical(t + (long)(i[0] - first) * stride, t + (long)(i[1] - first) * stride,
                            t + (long)(i[2] - first) * stride, t + (long)(i[3] - first) * stride,
                            w[0], w[1], w[2], w[3], stride, canvas + ((long)(y0 + y) * canvasWidth + x0) * 4);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ints);
            ArrayPool<float>.Shared.Return(floats);
            if (rows is not null) ArrayPool<float>.Shared.Return(rows);
        }
    }

    // Canvas pixels [o0, o1) of a rectangle starting at `start`, `length` long, over a source `sourceLength` long:
    // the centre o + 0.5 maps to s = (o + 0.5 − start)·sourceLength/length; with s + 0.5 = m + f the taps are
    // pixels m − 2 … m + 1 (clamped to the edge) at distances 1 + f, f, 1 − f, 2 − f.
    private static void Taps(int o0, int o1, int start, int length, int sourceLength, int* index, float* weight)
    {
        float scale = (float)sourceLength / length;
        for (int o = o0, k = 0; o < o1; o++, k += 4)
        {
            float s = (o + 0.5f - start) * scale + 0.5f;
            float m = MathF.Floor(s), f = s - m;
            int mi = (int)m;
            for (int j = 0; j < 4; j++)
            {
                index[k + j] = Math.Clamp(mi - 2 + j, 0, sourceLength - 1);
                weight[k + j] = Weight(f + 1 - j);
            }
        }
    }

    // One source row's bytes resampled to nx RGBA float pixels.
    private static void Horizontal(byte* row, int* index, float* weight, int nx, float* output)
    {
        if (Sse41.IsSupported && Fma.IsSupported)
        {
            for (int x = 0; x < nx; x++, index += 4, weight += 4)
            {
                var acc = Vector128.Create(weight[0]) * Pixel(row + 4 * index[0]);
                acc = Fma.MultiplyAdd(Vector128.Create(weight[1]), Pixel(row + 4 * index[1]), acc);
                acc = Fma.MultiplyAdd(Vector128.Create(weight[2]), Pixel(row + 4 * index[2]), acc);
                acc = Fma.MultiplyAdd(Vector128.Create(weight[3]), Pixel(row + 4 * index[3]), acc);
                acc.Store(output + 4 * x);
            }
            return;
        }
        for (int x = 0; x < nx; x++, index += 4, weight += 4)
            for (int c = 0; c < 4; c++)
                output[4 * x + c] = weight[0] * row[4 * index[0] + c] + weight[1] * row[4 * index[1] + c]
                    + weight[2] * row[4 * index[2] + c] + weight[3] * row[4 * index[3] + c];
    }

    private static Vector128<float> Pixel(byte* p) => Sse2.ConvertToVector128Single(Sse41.ConvertToVector128Int32(p));

    // Four resampled rows weighted into one canvas row: clamped to 0 … 255 and rounded half up, as Skia stores.
    private static void Vertical(float* a, float* b, float* c, float* d, float wa, float wb, float wc, float wd, int count, byte* output)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> va = Vector256.Create(wa), vb = Vector256.Create(wb), vc = Vector256.Create(wc), vd = Vector256.Create(wd);
            for (; i + 32 <= count; i += 32)
            {
                var p0 = Round(Vector256.Load(a + i) * va + Vector256.Load(b + i) * vb + Vector256.Load(c + i) * vc + Vector256.Load(d + i) * vd);
                var p1 = Round(Vector256.Load(a + i + 8) * va + Vector256.Load(b + i + 8) * vb + Vector256.Load(c + i + 8) * vc + Vector256.Load(d + i + 8) * vd);
                var p2 = Round(Vector256.Load(a + i + 16) * va + Vector256.Load(b + i + 16) * vb + Vector256.Load(c + i + 16) * vc + Vector256.Load(d + i + 16) * vd);
                var p3 = Round(Vector256.Load(a + i + 24) * va + Vector256.Load(b + i + 24) * vb + Vector256.Load(c + i + 24) * vc + Vector256.Load(d + i + 24) * vd);
                Vector256.Narrow(Vector256.Narrow(p0, p1), Vector256.Narrow(p2, p3)).Store(output + i);
            }
        }
        for (; i < count; i++)
        {
            float v = a[i] * wa + b[i] * wb + c[i] * wc + d[i] * wd;
            output[i] = (byte)(int)(Math.Clamp(v, 0f, 255f) + 0.5f);
        }
    }

    private static Vector256<uint> Round(Vector256<float> v) =>
        Vector256.ConvertToUInt32(Vector256.Min(Vector256.Max(v, Vector256<float>.Zero), Vector256.Create(255f)) + Vector256.Create(0.5f));
}

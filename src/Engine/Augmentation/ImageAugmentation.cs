using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Augmentation;

/// <summary>
/// Random image transformations applied to a training batch in place, as Keras's <c>ImageDataGenerator</c> (the
/// book's <c>shear_range=0.2, zoom_range=0.2, horizontal_flip=True</c>) and its preprocessing layers do: per image,
/// a horizontal flip with probability ½, a shear, a zoom and a shift, composed into one affine map sampled bilinearly
/// with the nearest edge pixel filling the outside (fill_mode "nearest"). Seeded: the same seed, batch and settings give
/// the same pixels. Training only — inference sees the images as they are.
/// </summary>
public sealed class ImageAugmentation
{
    /// <summary>Mirror left-right with probability ½.</summary>
    public bool HorizontalFlip { get; init; }
    /// <summary>Shear angle drawn from ±this, in radians (Keras's shear_range; the book: 0.2).</summary>
    public float ShearRange { get; init; }
    /// <summary>Zoom factor drawn from [1 − z, 1 + z] for each axis (Keras's zoom_range; the book: 0.2).</summary>
    public float ZoomRange { get; init; }
    /// <summary>Shift (random crop) drawn from ±this fraction of the width and height.</summary>
    public float ShiftRange { get; init; }

    /// <summary>True when some transformation is on.</summary>
    public bool IsActive => HorizontalFlip || ShearRange > 0 || ZoomRange > 0 || ShiftRange > 0;

    private float[] _scratch = [];

    /// <summary>Transforms every image of <paramref name="batch"/> [n, C, H, W] in place.</summary>
    public void Apply(Tensor batch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rng);
        var shape = batch.ShapeArray;
        if (shape.Length != 4)
            throw new ArgumentException($"Image augmentation needs a batch of images [n, C, H, W]; got [{string.Join(", ", shape)}]. Set the trainer's ImageShape or build the column with ExtractPixels.");
        if (!IsActive) return;
        int n = shape[0], channels = shape[1], h = shape[2], w = shape[3], plane = h * w, image = channels * plane;
        if (_scratch.Length < image) _scratch = new float[image];
        var data = batch.Span;
        for (int i = 0; i < n; i++)
        {
            // Output pixel (x, y) reads the source at A·(x − cx, y − cy) + (cx + tx, cy + ty).
            bool flip = HorizontalFlip && rng.NextDouble() < 0.5;
            double shear = ShearRange > 0 ? (2 * rng.NextDouble() - 1) * ShearRange : 0;
            double zx = ZoomRange > 0 ? 1 + (2 * rng.NextDouble() - 1) * ZoomRange : 1;
            double zy = ZoomRange > 0 ? 1 + (2 * rng.NextDouble() - 1) * ZoomRange : 1;
            double tx = ShiftRange > 0 ? (2 * rng.NextDouble() - 1) * ShiftRange * w : 0;
            double ty = ShiftRange > 0 ? (2 * rng.NextDouble() - 1) * ShiftRange * h : 0;
            double a00 = zx * (flip ? -1 : 1), a01 = -Math.Sin(shear) * zy, a11 = Math.Cos(shear) * zy;
            var img = data.Slice(i * image, image);
            img.CopyTo(_scratch);
            double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
            for (int y = 0; y < h; y++)
            {
                double dy = y - cy;
                for (int x = 0; x < w; x++)
                {
                    double dx = x - cx;
                    double sx = Math.Clamp(a00 * dx + a01 * dy + cx + tx, 0, w - 1);
                    double sy = Math.Clamp(a11 * dy + cy + ty, 0, h - 1);
                    int x0 = (int)sx, y0 = (int)sy;
                    int x1 = Math.Min(x0 + 1, w - 1), y1 = Math.Min(y0 + 1, h - 1);
                    float fx = (float)(sx - x0), fy = (float)(sy - y0);
                    for (int c = 0; c < channels; c++)
                    {
                        int p = c * plane;
                        float top = _scratch[p + y0 * w + x0] + fx * (_scratch[p + y0 * w + x1] - _scratch[p + y0 * w + x0]);
                        float bottom = _scratch[p + y1 * w + x0] + fx * (_scratch[p + y1 * w + x1] - _scratch[p + y1 * w + x0]);
                        img[p + y * w + x] = top + fy * (bottom - top);
                    }
                }
            }
        }
    }
}

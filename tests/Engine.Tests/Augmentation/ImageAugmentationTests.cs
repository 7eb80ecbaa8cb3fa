using DlBook.Engine.Augmentation;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Tests.Augmentation;

public class ImageAugmentationTests
{
    private static Tensor Batch(int n, int c, int h, int w, int seed)
    {
        var rng = new Rng((ulong)seed);
        var t = new Tensor([n, c, h, w]);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = rng.NextFloat();
        return t;
    }

    [Fact]
    public void A_flip_alone_leaves_each_image_as_it_is_or_mirrors_it_exactly_and_both_happen()
    {
        var x = Batch(24, 3, 5, 7, 1);
        var before = x.Span.ToArray();
        new ImageAugmentation { HorizontalFlip = true }.Apply(x, new Rng(2));
        int same = 0, mirrored = 0, image = 3 * 5 * 7;
        for (int i = 0; i < 24; i++)
        {
            var a = before.AsSpan(i * image, image);
            var b = x.Span.Slice(i * image, image);
            bool isSame = a.SequenceEqual(b), isMirror = true;
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 5; y++)
                    for (int xx = 0; xx < 7; xx++)
                        isMirror &= MathF.Abs(b[c * 35 + y * 7 + xx] - a[c * 35 + y * 7 + (6 - xx)]) < 1e-6f;
            Assert.True(isSame || isMirror, $"image {i} is neither itself nor its mirror");
            if (isSame) same++; else mirrored++;
        }
        Assert.True(same > 3 && mirrored > 3, $"{same} kept, {mirrored} mirrored");
    }

    [Fact]
    public void Shear_zoom_and_shift_change_the_pixels_keep_a_constant_image_constant_and_repeat_for_the_same_seed()
    {
        var aug = new ImageAugmentation { HorizontalFlip = true, ShearRange = 0.2f, ZoomRange = 0.2f, ShiftRange = 0.1f };
        var a = Batch(4, 3, 16, 16, 3);
        var b = Batch(4, 3, 16, 16, 3);
        var original = a.Span.ToArray();
        aug.Apply(a, new Rng(9));
        aug.Apply(b, new Rng(9));
        Assert.Equal(a.Span.ToArray(), b.Span.ToArray());
        Assert.NotEqual(original, a.Span.ToArray());
        Assert.All(a.Span.ToArray(), v => Assert.InRange(v, 0f, 1f));   // bilinear: within the source's range
        var flat = new Tensor([2, 1, 8, 8]);
        flat.Span.Fill(0.25f);
        aug.Apply(flat, new Rng(4));
        Assert.All(flat.Span.ToArray(), v => Assert.Equal(0.25f, v, 6));
    }

    [Fact]
    public void Nothing_on_leaves_the_batch_alone_and_a_flat_batch_is_an_error_saying_what_to_set()
    {
        var x = Batch(2, 1, 4, 4, 5);
        var before = x.Span.ToArray();
        new ImageAugmentation().Apply(x, new Rng(1));
        Assert.Equal(before, x.Span.ToArray());
        var e = Assert.Throws<ArgumentException>(() => new ImageAugmentation { HorizontalFlip = true }.Apply(new Tensor(2, 16), new Rng(1)));
        Assert.Contains("ImageShape", e.Message);
    }
}

using DlBook.Engine.Kernels;
using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Convolution;

public class PoolingLayerTests
{
    private static ILayer Build(string kind, int[] input, string pool, string? stride = null, string padding = "valid")
    {
        var spec = new LayerSpec { Kind = kind, Name = "pool" }.With("pool", pool).With("padding", padding);
        if (stride is not null) spec.With("stride", stride);
        return LayerFactory.Build(spec, input, null);
    }

    [Fact]
    public void MaxPoolTakesTheWindowMaximumAndRoutesTheGradientToIt()
    {
        var layer = Build(LayerKinds.MaxPool2d, [1, 4, 4], "2");
        var x = new Tensor([1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 7, 7, 9, 0, 7, 2], 1, 1, 4, 4);
        var y = layer.Forward(x, training: true);
        Assert.Equal(new[] { 1, 1, 2, 2 }, y.ShapeArray);
        Assert.Equal([5f, 8f, 9f, 7f], y.Span.ToArray());
        var dx = layer.Backward(new Tensor([1, 2, 3, 4], 1, 1, 2, 2));
        // The last window ties (7, 7, 7): the first maximum in row-major order wins.
        Assert.Equal([0f, 1, 0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 3, 0, 0, 0], dx.Span.ToArray());
    }

    [Theory]
    [InlineData("2", null, "valid", 7, 6)]
    [InlineData("2", null, "same", 7, 6)]
    [InlineData("3", "2", "valid", 9, 8)]
    [InlineData("3", "1", "same", 5, 6)]
    [InlineData("2,3", "1,2", "1", 6, 7)]
    public void MaxPoolGradientMatchesFiniteDifferences(string pool, string? stride, string padding, int h, int w)
    {
        var rng = new Rng(8);
        var layer = Build(LayerKinds.MaxPool2d, [3, h, w], pool, stride, padding);
        // Distinct values spaced well beyond the step: no ties, and no perturbation changes a window's winner.
        var x = new Tensor(2, 3, h, w);
        var order = Enumerable.Range(0, x.Length).OrderBy(_ => rng.NextUInt64()).ToArray();
        for (int i = 0; i < x.Length; i++) x.Span[i] = 0.1f * order[i];
        var r = GradientCheck.Normal(rng, 1f, [2, .. layer.Spec.OutputShape]);
        double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
        Cost();
        var dx = layer.Backward(r).Span.ToArray();
        GradientCheck.Assert("MaxPool x", Cost, x.Span, dx, h: 1e-2, rtol: 1e-3, atol: 1e-3);
    }

    [Fact]
    public void MaxPoolSamePaddingNeverLetsThePaddingWin()
    {
        var layer = Build(LayerKinds.MaxPool2d, [1, 3, 3], "2", padding: "same");
        Assert.Equal("0,0,1,1", layer.Spec.GetString("pads"));
        var x = new Tensor([-1, -2, -3, -4, -5, -6, -7, -8, -9], 1, 1, 3, 3);
        Assert.Equal([-1f, -3f, -7f, -9f], layer.Forward(x, false).Span.ToArray());
    }

    [Fact]
    public void AvgPoolExcludesPaddingFromTheCount()
    {
        var layer = Build(LayerKinds.AvgPool2d, [1, 3, 3], "2", padding: "same");
        var x = new Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3);
        var y = layer.Forward(x, false);
        // Windows: {1,2,4,5}, {3,6}, {7,8}, {9}: count_include_pad = false.
        Assert.Equal([3f, 4.5f, 7.5f, 9f], y.Span.ToArray());
        var dx = layer.Backward(new Tensor([4, 2, 2, 1], 1, 1, 2, 2));
        Assert.Equal([1f, 1, 1, 1, 1, 1, 1, 1, 1], dx.Span.ToArray());
    }

    [Theory]
    [InlineData("2", null, "valid")]
    [InlineData("3", "2", "same")]
    [InlineData("2,3", "1", "1")]
    public void AvgPoolGradientMatchesFiniteDifferences(string pool, string? stride, string padding)
    {
        var rng = new Rng(9);
        var layer = Build(LayerKinds.AvgPool2d, [2, 7, 6], pool, stride, padding);
        var x = GradientCheck.Normal(rng, 1f, 3, 2, 7, 6);
        var r = GradientCheck.Normal(rng, 1f, [3, .. layer.Spec.OutputShape]);
        double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
        Cost();
        var dx = layer.Backward(r).Span.ToArray();
        GradientCheck.Assert("AvgPool x", Cost, x.Span, dx, rtol: 1e-3, atol: 1e-3);
    }

    [Fact]
    public void GlobalAvgPoolGivesOneMeanPerChannelAndItsGradientMatches()
    {
        var layer = LayerFactory.Build(new LayerSpec { Kind = LayerKinds.GlobalAvgPool2d }, [3, 4, 5], null);
        Assert.Equal(new[] { 3 }, layer.Spec.OutputShape);
        var rng = new Rng(10);
        var x = GradientCheck.Normal(rng, 1f, 2, 3, 4, 5);
        var y = layer.Forward(x, true);
        Assert.Equal(new[] { 2, 3 }, y.ShapeArray);
        Assert.Equal(x.Span.Slice(20, 20).ToArray().Average(), y.Span[1], 5);
        var r = GradientCheck.Normal(rng, 1f, 2, 3);
        double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
        var dx = layer.Backward(r).Span.ToArray();
        GradientCheck.Assert("GlobalAvgPool x", Cost, x.Span, dx, rtol: 1e-3, atol: 1e-4);
    }

    [Theory]
    [InlineData(LayerKinds.MaxPool2d)]
    [InlineData(LayerKinds.AvgPool2d)]
    public void PoolLargerThanTheInputThrowsNamingLayerAndSetting(string kind)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            LayerFactory.Build(new LayerSpec { Kind = kind, Name = "p1" }.With("pool", "5"), [2, 4, 4], null));
        Assert.Contains("'p1'", e.Message);
        Assert.Contains("'pool'", e.Message);
        var rank = Assert.Throws<ArgumentException>(() =>
            LayerFactory.Build(new LayerSpec { Kind = kind, Name = "p1" }.With("pool", "2"), [16], null));
        Assert.Contains("'p1'", rank.Message);
    }

    public static TheoryData<string, int, int, int, int, string, string?, string> PoolShapes()
    {
        var data = new TheoryData<string, int, int, int, int, string, string?, string>();
        (int, int, int, int, string, string?, string)[] shapes =
        [
            // batch, C, H, W, pool, stride, padding
            (1, 1, 5, 7, "2", null, "valid"),
            (7, 3, 9, 8, "2", null, "same"),
            (7, 3, 7, 7, "2", null, "valid"),       // the 2×2 fast path with a cut last row and column
            (2, 3, 13, 45, "2", null, "valid"),     // … and 22 windows a row: a full block of 16 and a masked one
            (2, 2, 9, 6, "3", "2", "valid"),
            (3, 3, 8, 11, "3", "1", "same"),
            (1, 3, 6, 7, "2,3", "1,2", "1"),
            (7, 1, 10, 9, "3", "2", "1,0,2,1"),
            (2, 2, 5, 8, "5", "3", "same"),
            // Enough planes for SampleParallel to split them over threads.
            (7, 8, 64, 80, "2", null, "valid"),
            (7, 8, 63, 81, "3", "2", "same"),
        ];
        foreach (var kind in new[] { LayerKinds.MaxPool2d, LayerKinds.AvgPool2d })
            foreach (var (n, c, h, w, pool, stride, padding) in shapes)
                data.Add(kind, n, c, h, w, pool, stride, padding);
        return data;
    }

    [Theory]
    [MemberData(nameof(PoolShapes))]
    public void PoolingMatchesTheNaiveReferenceForwardAndBackward(string kind, int batch, int c, int h, int w, string pool, string? stride, string padding)
    {
        var layer = Build(kind, [c, h, w], pool, stride, padding);
        var rng = new Rng(13);
        var x = GradientCheck.Normal(rng, 1f, batch, c, h, w);
        var dy = GradientCheck.Normal(rng, 1f, [batch, .. layer.Spec.OutputShape]);
        AssertMatchesReference(layer, x, dy);
    }

    [Theory]
    [InlineData(LayerKinds.MaxPool2d)]
    [InlineData(LayerKinds.AvgPool2d)]
    public void PoolBuffersFollowTheBatchSizeFromCallToCall(string kind)
    {
        var layer = Build(kind, [8, 64, 80], "3", "2", "same");
        var rng = new Rng(14);
        foreach (int batch in new[] { 7, 1, 3, 7 })
        {
            var x = GradientCheck.Normal(rng, 1f, batch, 8, 64, 80);
            var dy = GradientCheck.Normal(rng, 1f, [batch, .. layer.Spec.OutputShape]);
            AssertMatchesReference(layer, x, dy);
        }
    }

    [Fact]
    public void MaxPoolVectorPathKeepsTheFirstMaximumOnTiesAndLetsNoLaterNaNWin()
    {
        // 70 columns: two 16-window vector blocks and three scalar windows per output row; values from {0, 1, 2} so
        // most windows tie, and NaN both first in a window (it stays) and later in one (it never wins).
        var layer = Build(LayerKinds.MaxPool2d, [2, 6, 70], "2");
        var rng = new Rng(21);
        var x = new Tensor(3, 2, 6, 70);
        for (int i = 0; i < x.Length; i++) x.Span[i] = rng.NextInt(11) == 0 ? float.NaN : rng.NextInt(3);
        var dy = new Tensor([3, .. layer.Spec.OutputShape]);
        for (int i = 0; i < dy.Length; i++) dy.Span[i] = i + 1;
        var g = ((MaxPool2dLayer)layer).Geometry;
        var yRef = new float[dy.Length];
        var dxRef = new float[x.Length];
        PoolingReference.Max(g, 3, x.Span, yRef, dy.Span, dxRef);
        var y = layer.Forward(x, training: true).Span.ToArray();
        Assert.Contains(y, float.IsNaN);
        for (int i = 0; i < y.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(yRef[i]) == BitConverter.SingleToInt32Bits(y[i]), $"y[{i}]: {y[i]} vs reference {yRef[i]}");
        // dy is distinct per window, so dx equal to the reference's means every window picked the same input.
        Assert.Equal(dxRef, layer.Backward(dy).Span.ToArray());
    }

    // Forward and backward of a pooling layer against PoolingReference.
    private static void AssertMatchesReference(ILayer layer, Tensor x, Tensor dy)
    {
        var g = layer is MaxPool2dLayer max ? max.Geometry : ((AvgPool2dLayer)layer).Geometry;
        int batch = x.Rows;
        var y = layer.Forward(x, training: true);
        Assert.Equal(new[] { batch, g.Channels, g.OutHeight, g.OutWidth }, y.ShapeArray);
        var yRef = new float[y.Length];
        var dxRef = new float[x.Length];
        if (layer is MaxPool2dLayer) PoolingReference.Max(g, batch, x.Span, yRef, dy.Span, dxRef);
        else PoolingReference.Average(g, batch, x.Span, yRef, dy.Span, dxRef);
        Conv2dLayerTests.AssertClose("y", yRef, y.Span);
        var dx = layer.Backward(dy);
        Conv2dLayerTests.AssertClose("dx", dxRef, dx.Span);
    }

    [Theory]
    [InlineData(LayerKinds.MaxPool2d, "stride", "0", "'stride'")]
    [InlineData(LayerKinds.AvgPool2d, "stride", "0", "'stride'")]
    [InlineData(LayerKinds.MaxPool2d, "padding", "2", "smaller than the pool")]
    [InlineData(LayerKinds.AvgPool2d, "padding", "0,2", "smaller than the pool")]
    [InlineData(LayerKinds.MaxPool2d, "pool", "0", "'pool'")]
    public void BadPoolSettingsThrowNamingTheLayerAndWhatToChange(string kind, string key, string value, string says)
    {
        var spec = new LayerSpec { Kind = kind, Name = "p3" }.With("pool", "2").With(key, value);
        var e = Assert.Throws<ArgumentException>(() => LayerFactory.Build(spec, [2, 8, 8], null));
        Assert.Contains($"'p3' ({kind})", e.Message);
        Assert.Contains(says, e.Message);
    }

    [Theory]
    [InlineData(LayerKinds.MaxPool2d)]
    [InlineData(LayerKinds.AvgPool2d)]
    [InlineData(LayerKinds.GlobalAvgPool2d)]
    public void PoolGivenAnotherChannelCountThrowsNamingTheLayer(string kind)
    {
        var layer = LayerFactory.Build(new LayerSpec { Kind = kind, Name = "p4" }.With("pool", "2"), [3, 4, 4], null);
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(2, 4, 4, 3), false));
        Assert.Contains($"'p4' ({kind})", e.Message);
        Assert.Contains("[batch, 3, 4, 4]", e.Message);
    }

    [Fact]
    public void PoolStrideDefaultsToThePool()
    {
        var layer = Build(LayerKinds.MaxPool2d, [32, 62, 62], "2");
        Assert.Equal("2,2", layer.Spec.GetString("stride"));
        Assert.Equal(new[] { 32, 31, 31 }, layer.Spec.OutputShape);
    }
}

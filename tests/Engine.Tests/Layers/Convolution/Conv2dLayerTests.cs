using DlBook.Engine.Kernels;
using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Engine.Tests.Support;

namespace DlBook.Engine.Tests.Layers.Convolution;

public class Conv2dLayerTests
{
    internal static Conv2dLayer Build(int[] input, int filters, string kernel, string stride = "1", string padding = "valid",
        string dilation = "1", ulong seed = 1, bool bias = true)
    {
        var spec = new LayerSpec { Kind = LayerKinds.Conv2d, Name = "conv" }
            .With("filters", filters).With("kernel", kernel).With("stride", stride).With("padding", padding)
            .With("dilation", dilation).With("bias", bias).With("biasInit", "Uniform");
        return (Conv2dLayer)LayerFactory.Build(spec, input, new Rng(seed));
    }

    public static TheoryData<int, int, int, int, int, string, string, string, string, bool> OddShapes => new()
    {
        // batch, C, H, W, F, kernel, stride, padding, dilation, bias
        { 1, 1, 5, 7, 2, "3", "1", "valid", "1", true },
        { 7, 3, 9, 8, 4, "3", "2", "1", "1", true },
        { 2, 3, 6, 5, 5, "1", "1", "valid", "1", true },
        { 3, 1, 11, 9, 3, "5", "1", "2,1", "1", true },
        { 2, 3, 10, 9, 2, "3", "1", "valid", "2", true },
        { 2, 2, 7, 6, 3, "2,4", "1", "same", "1", true },
        { 7, 3, 9, 13, 6, "3", "2", "same", "1", true },
        { 2, 3, 6, 6, 4, "1", "2", "valid", "1", true },
        { 1, 3, 8, 5, 3, "4", "3", "1,0,2,1", "1", true },
        { 7, 1, 13, 7, 2, "3,2", "2,1", "same", "2,1", true },
        { 1, 3, 9, 11, 4, "5", "2", "same", "1", false },
        { 7, 1, 6, 9, 2, "1", "1", "valid", "1", false },
        { 7, 3, 10, 9, 3, "3", "1", "1", "2", false },
        { 1, 1, 8, 6, 2, "5", "1", "same", "1", false },
        // Enough work for SampleParallel to split the batch over threads (forward and backward).
        { 7, 3, 20, 18, 16, "3", "1", "same", "1", true },
        { 7, 3, 21, 17, 12, "5", "2", "same", "2", false },
        // One sample with enough work to split its output positions over threads; a patch deeper than one packed
        // slice (288 > 256) and a plane wider than one packed block (1,440 > 1,024).
        { 1, 32, 40, 36, 8, "3", "1", "same", "1", true },
        { 2, 30, 33, 31, 5, "3", "2", "1", "1", false },
    };

    [Theory]
    [InlineData(3, 64, 64, 32, 3, 1, 0)]      // the book's first layer: 27-deep patches, 62-wide output rows
    [InlineData(32, 31, 31, 32, 3, 1, 0)]     // its second: 288-deep, two packed slices
    [InlineData(5, 19, 23, 7, 5, 2, 2)]       // stride 2 with padding: strided gathers and zero taps
    [InlineData(2, 40, 33, 9, 3, 1, 1)]       // 1,320 positions: two packed column blocks
    [InlineData(4, 9, 5, 6, 3, 1, 0)]         // 3-wide output rows: eleven runs to a panel
    public void ImplicitGemmGivesTheBitsOfAnExplicitPatchMatrixThroughTheGemm(int c, int h, int w, int f, int k, int stride, int pad)
    {
        var g = new ConvGeometry(c, h, w, f, k, k, stride, stride, 1, 1, pad, pad, pad, pad);
        var rng = new Rng(31);
        var x = GradientCheck.Normal(rng, 1f, 1, c, h, w).Span.ToArray();
        var wt = GradientCheck.Normal(rng, 1f, f, g.PatchSize).Span.ToArray();
        int plane = g.OutPlane;
        var col = new float[g.PatchSize * plane];
        var expected = new float[f * plane];
        var actual = new float[f * plane];
        for (int i = 0; i < actual.Length; i++) expected[i] = actual[i] = 0.25f * (i % 7);
        unsafe
        {
            fixed (float* px = x, pw = wt, pcol = col, pe = expected, pa = actual)
            {
                Im2Col.Pack(g, px, pcol);
                GemmPacked.Run(Gemm.ActiveIsa, Transpose.No, Transpose.No, f, plane, g.PatchSize, 1f, pw, g.PatchSize, pcol, plane, 1f, pe, plane);
                // In two column ranges, the second starting inside an output row, as the layer's chunks do.
                int split = Math.Min(plane, 96 + 32);
                Gemm.MultiplyPatches(g, px, 0, split, f, pw, 1f, pa, plane);
                Gemm.MultiplyPatches(g, px, split, plane - split, f, pw, 1f, pa + split, plane);
            }
        }
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"y[{i}]: {actual[i]} vs {expected[i]}");
    }

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void FastPathMatchesTheReferenceForwardAndBackward(int batch, int c, int h, int w, int f, string kernel, string stride, string padding,
        string dilation, bool bias)
    {
        var layer = Build([c, h, w], f, kernel, stride, padding, dilation, bias: bias);
        Assert.Equal(bias, layer.Bias is not null);
        var g = layer.Geometry;
        var rng = new Rng(11);
        var x = GradientCheck.Normal(rng, 1f, batch, c, h, w);
        var dy = GradientCheck.Normal(rng, 1f, batch, f, g.OutHeight, g.OutWidth);
        AssertMatchesReference(layer, x, dy);
    }

    [Fact]
    public void BuffersFollowTheBatchSizeFromCallToCall()
    {
        // Large enough to run in parallel at batch 7: the patch and chunk buffers are reused for 7, then 1, then 7 again.
        var layer = Build([3, 20, 18], 16, "3", padding: "same", seed: 4);
        var rng = new Rng(12);
        foreach (int batch in new[] { 7, 1, 3, 7 })
        {
            var x = GradientCheck.Normal(rng, 1f, batch, 3, 20, 18);
            var dy = GradientCheck.Normal(rng, 1f, batch, 16, 20, 18);
            AssertMatchesReference(layer, x, dy);
        }
    }

    // Forward and backward of the layer against ConvolutionReference: y, dx, dW and (with a bias) db.
    private static void AssertMatchesReference(Conv2dLayer layer, Tensor x, Tensor dy)
    {
        var g = layer.Geometry;
        int batch = x.Rows;
        var y = layer.Forward(x, training: true);
        Assert.Equal(new[] { batch, g.Filters, g.OutHeight, g.OutWidth }, y.ShapeArray);
        var expected = new float[y.Length];
        ConvolutionReference.Forward(g, batch, x.Span, layer.Weights.Value.Span, layer.Bias is null ? [] : layer.Bias.Value.Span, expected);
        AssertClose("y", expected, y.Span);

        var dx = layer.Backward(dy);
        var dxRef = new float[x.Length];
        var dwRef = new float[layer.Weights.Value.Length];
        var dbRef = new float[layer.Bias is null ? 0 : g.Filters];
        ConvolutionReference.Backward(g, batch, x.Span, layer.Weights.Value.Span, dy.Span, dxRef, dwRef, dbRef);
        AssertClose("dx", dxRef, dx.Span);
        AssertClose("dW", dwRef, layer.Weights.Gradient.Span);
        if (layer.Bias is not null) AssertClose("db", dbRef, layer.Bias.Gradient.Span);
    }

    [Fact]
    public void ReferenceMatchesAHandComputedConvolution()
    {
        // 1×3×3 input, one 2×2 filter of ones, bias 0.5: each output is its window's sum + 0.5.
        var g = new ConvGeometry(1, 3, 3, 1, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0);
        float[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var y = new float[4];
        ConvolutionReference.Forward(g, 1, x, [1, 1, 1, 1], [0.5f], y);
        Assert.Equal([12.5f, 16.5f, 24.5f, 28.5f], y);
    }

    [Fact]
    public void GradientsOfWeightsBiasAndInputMatchFiniteDifferences()
    {
        var rng = new Rng(5);
        var layer = Build([2, 6, 5], 3, "3", stride: "2", padding: "1");
        var x = GradientCheck.Normal(rng, 1f, 2, 2, 6, 5);
        var g = layer.Geometry;
        var r = GradientCheck.Normal(rng, 1f, 2, 3, g.OutHeight, g.OutWidth);
        double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
        Cost();
        var dx = layer.Backward(r).Span.ToArray();
        var dW = layer.Weights.Gradient.Span.ToArray();
        var db = layer.Bias!.Gradient.Span.ToArray();
        // Linear in each of x, W and b, so central differences are exact up to float rounding.
        GradientCheck.Assert("Conv2d W", Cost, layer.Weights.Value.Span, dW, rtol: 1e-3, atol: 1e-3);
        GradientCheck.Assert("Conv2d b", Cost, layer.Bias.Value.Span, db, rtol: 1e-3, atol: 1e-3);
        GradientCheck.Assert("Conv2d x", Cost, x.Span, dx, rtol: 1e-3, atol: 1e-3);
    }

    [Theory]
    [InlineData(64, 64, "3", "1", "valid", "1", 62, 62, "0,0,0,0")]
    [InlineData(64, 64, "3", "1", "same", "1", 64, 64, "1,1,1,1")]
    [InlineData(7, 7, "4", "1", "same", "1", 7, 7, "1,1,2,2")]
    [InlineData(7, 8, "3", "2", "same", "1", 4, 4, "1,0,1,1")]
    [InlineData(8, 8, "3", "2", "same", "1", 4, 4, "0,0,1,1")]
    [InlineData(9, 9, "3", "2", "valid", "1", 4, 4, "0,0,0,0")]
    [InlineData(10, 12, "3", "1", "valid", "2", 6, 8, "0,0,0,0")]
    [InlineData(10, 12, "3", "1", "same", "2", 10, 12, "2,2,2,2")]
    [InlineData(5, 5, "3,1", "1", "1,2", "1", 5, 9, "1,2,1,2")]
    public void OutputShapeAndResolvedPadsFollowKerasAndOnnx(int h, int w, string kernel, string stride, string padding, string dilation,
        int oh, int ow, string pads)
    {
        var layer = Build([3, h, w], 4, kernel, stride, padding, dilation);
        Assert.Equal(new[] { 4, oh, ow }, layer.Spec.OutputShape);
        Assert.Equal(pads, layer.Spec.GetString("pads"));
        Assert.Equal(new[] { 2, 4, oh, ow }, layer.Forward(new Tensor(2, 3, h, w), false).ShapeArray);
    }

    [Fact]
    public void SpecIsCompletedWithOnnxLayoutAndKerasDefaults()
    {
        var spec = new LayerSpec { Kind = LayerKinds.Conv2d }.With("filters", 32).With("kernel", "3");
        var layer = (Conv2dLayer)LayerFactory.Build(spec, [3, 64, 64], new Rng(1));
        Assert.Equal("3,3", spec.GetString("kernel"));
        Assert.Equal("1,1", spec.GetString("stride"));
        Assert.Equal("1,1", spec.GetString("dilation"));
        Assert.Equal("valid", spec.GetString("padding"));
        Assert.Equal("0,0,0,0", spec.GetString("pads"));
        Assert.True(spec.GetBool("bias"));
        Assert.Equal("GlorotUniform", spec.GetString("init"));
        Assert.Equal("Zeros", spec.GetString("biasInit"));
        Assert.Equal(["W", "b"], spec.Parameters.Select(p => p.Name));
        Assert.Equal(new[] { 32, 3, 3, 3 }, spec.Parameters[0].Shape);
        Assert.Equal(new[] { 32 }, spec.Parameters[1].Shape);
        Assert.Equal(32 * 27 + 32, spec.ParameterCount);
        Assert.True(layer.Weights.IsWeight);
        Assert.False(layer.Bias!.IsWeight);
        // Glorot uniform with fan-in C·kh·kw = 27 and fan-out F·kh·kw = 288.
        double limit = Math.Sqrt(6.0 / (27 + 288));
        var wv = layer.Weights.Value.Span.ToArray();
        Assert.All(wv, v => Assert.InRange(Math.Abs(v), 0, limit));
        Assert.True(wv.Max(Math.Abs) > 0.9 * limit);
        Assert.All(layer.Bias.Value.Span.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void GradientsWithoutBiasDilatedAndSamePaddedMatchFiniteDifferences()
    {
        var rng = new Rng(6);
        var layer = Build([3, 7, 8], 2, "3", padding: "same", dilation: "2", bias: false);
        var x = GradientCheck.Normal(rng, 1f, 2, 3, 7, 8);
        var r = GradientCheck.Normal(rng, 1f, [2, .. layer.Spec.OutputShape]);
        double Cost() => GradientCheck.Project(layer.Forward(x, true).Span, r.Span);
        Cost();
        var dx = layer.Backward(r).Span.ToArray();
        var dW = layer.Weights.Gradient.Span.ToArray();
        GradientCheck.Assert("Conv2d W", Cost, layer.Weights.Value.Span, dW, rtol: 1e-3, atol: 1e-3);
        GradientCheck.Assert("Conv2d x", Cost, x.Span, dx, rtol: 1e-3, atol: 1e-3);
    }

    [Theory]
    [InlineData(new[] { 2, 4, 8, 6 })]   // the same number of values, 4 channels instead of 3
    [InlineData(new[] { 2, 8, 8, 3 })]   // channels last (NHWC)
    [InlineData(new[] { 2, 3, 64 })]
    public void MismatchedChannelsOrLayoutThrowNamingTheLayer(int[] shape)
    {
        var layer = Build([3, 8, 8], 2, "3");
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(shape), true));
        Assert.Contains("'conv' (Conv2d)", e.Message);
        Assert.Contains("[batch, 3, 8, 8]", e.Message);
        // The flat form of the same samples is what a feature column gives, and is accepted.
        Assert.Equal(new[] { 2, 2, 6, 6 }, layer.Forward(new Tensor(2, 192), true).ShapeArray);
    }

    [Fact]
    public void NoBiasLeavesOnlyWeights()
    {
        var layer = Build([2, 5, 5], 3, "3", bias: false);
        Assert.Single(layer.Parameters);
        Assert.Null(layer.Bias);
        var x = GradientCheck.Normal(new Rng(3), 1f, 2, 2, 5, 5);
        var y = layer.Forward(x, true);
        var expected = new float[y.Length];
        ConvolutionReference.Forward(layer.Geometry, 2, x.Span, layer.Weights.Value.Span, [], expected);
        AssertClose("y", expected, y.Span);
    }

    [Theory]
    [InlineData("kernel", "filters", "4", "kernel", "5")]
    [InlineData("filters", "filters", "0", "kernel", "3")]
    [InlineData("stride", "stride", "0", "kernel", "3")]
    [InlineData("padding", "padding", "wide", "kernel", "3")]
    [InlineData("dilation", "dilation", "-1", "kernel", "3")]
    public void BadSettingsThrowNamingTheLayerAndTheSetting(string named, string key, string value, string key2, string value2)
    {
        var spec = new LayerSpec { Kind = LayerKinds.Conv2d, Name = "conv7" }.With("filters", 4).With(key, value).With(key2, value2);
        var e = Assert.Throws<ArgumentException>(() => LayerFactory.Build(spec, [3, 4, 4], new Rng(1)));
        Assert.Contains("'conv7'", e.Message);
        Assert.Contains($"'{named}'", e.Message);
    }

    [Fact]
    public void KernelLargerThanThePaddedInputThrows()
    {
        var spec = new LayerSpec { Kind = LayerKinds.Conv2d, Name = "conv1" }.With("filters", 2).With("kernel", "7").With("padding", "1");
        var e = Assert.Throws<ArgumentException>(() => LayerFactory.Build(spec, [1, 4, 4], null));
        Assert.Contains("'conv1'", e.Message);
        Assert.Contains("'kernel'", e.Message);
        Assert.Contains("use a smaller kernel or padding \"same\"", e.Message);
        // "same" always fits.
        LayerFactory.Build(new LayerSpec { Kind = LayerKinds.Conv2d }.With("filters", 2).With("kernel", "7").With("padding", "same"), [1, 4, 4], null);
    }

    [Theory]
    [InlineData(new[] { 784 })]
    [InlineData(new[] { 28, 28 })]
    [InlineData(new[] { 1, 3, 28, 28 })]
    public void WrongInputRankThrowsNamingTheLayer(int[] input)
    {
        var spec = new LayerSpec { Kind = LayerKinds.Conv2d, Name = "conv1" }.With("filters", 2).With("kernel", "3");
        var e = Assert.Throws<ArgumentException>(() => LayerFactory.Build(spec, input, null));
        Assert.Contains("'conv1'", e.Message);
        Assert.Contains("[channels, height, width]", e.Message);
    }

    [Fact]
    public void WrongBatchInputThrowsNamingTheLayer()
    {
        var layer = Build([3, 8, 8], 2, "3");
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(2, 3, 8, 7), true));
        Assert.Contains("'conv'", e.Message);
    }

    [Fact]
    public void SameSeedGivesTheSameBitsForAnyThreadCount()
    {
        float[][] Run(int threads)
        {
            int saved = Gemm.ForceThreads;
            Gemm.ForceThreads = threads;
            try
            {
                var layer = Build([3, 20, 18], 16, "3", padding: "same", seed: 9);
                var x = GradientCheck.Normal(new Rng(4), 1f, 9, 3, 20, 18);
                var y = layer.Forward(x, true).Span.ToArray();
                var dy = GradientCheck.Normal(new Rng(5), 1f, 9, 16, 20, 18);
                var dx = layer.Backward(dy).Span.ToArray();
                return [y, dx, layer.Weights.Gradient.Span.ToArray(), layer.Bias!.Gradient.Span.ToArray(), layer.Weights.Value.Span.ToArray()];
            }
            finally
            {
                Gemm.ForceThreads = saved;
            }
        }
        var one = Run(1);
        var again = Run(1);
        var two = Run(2);
        var three = Run(3);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], again[i]);
            Assert.Equal(one[i], two[i]);
            Assert.Equal(one[i], three[i]);
        }
    }

    [Fact]
    public void SkippedInputGradientStillWritesParameterGradients()
    {
        var layer = Build([3, 7, 7], 4, "3");
        var x = GradientCheck.Normal(new Rng(1), 1f, 3, 3, 7, 7);
        var dy = GradientCheck.Normal(new Rng(2), 1f, 3, 4, 5, 5);
        layer.Forward(x, true);
        layer.Backward(dy);
        var dw = layer.Weights.Gradient.Span.ToArray();
        layer.ComputeInputGradient = false;
        layer.Forward(x, true);
        Assert.Equal(0, layer.Backward(dy).Rows);
        Assert.Equal(dw, layer.Weights.Gradient.Span.ToArray());
    }

    internal static void AssertClose(string what, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 1e-6;
        for (int i = 0; i < expected.Length; i++) scale = Math.Max(scale, Math.Abs(expected[i]));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * scale + 1e-5 * Math.Abs(expected[i]),
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}

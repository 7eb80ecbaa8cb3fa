using DlBook.Engine.Layers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Tests.Layers.Convolution;

public class CnnLayerChecksTests
{
    private static LayerSpec Spec(string kind) => kind switch
    {
        LayerKinds.Conv2d => new LayerSpec { Kind = kind, Name = "l1" }.With("filters", 2).With("kernel", "3"),
        LayerKinds.MaxPool2d or LayerKinds.AvgPool2d => new LayerSpec { Kind = kind, Name = "l1" }.With("pool", "2"),
        LayerKinds.SpatialDropout2d => new LayerSpec { Kind = kind, Name = "l1" }.With("rate", 0.5f),
        _ => new LayerSpec { Kind = kind, Name = "l1" },
    };

    [Theory]
    [InlineData(LayerKinds.Conv2d)]
    [InlineData(LayerKinds.MaxPool2d)]
    [InlineData(LayerKinds.AvgPool2d)]
    [InlineData(LayerKinds.GlobalAvgPool2d)]
    [InlineData(LayerKinds.BatchNorm2d)]
    [InlineData(LayerKinds.Flatten)]
    [InlineData(LayerKinds.SpatialDropout2d)]
    public void BackwardBeforeForwardThrowsNamingTheLayer(string kind)
    {
        var layer = LayerFactory.Build(Spec(kind), [3, 6, 6], new Rng(1));
        var e = Assert.Throws<InvalidOperationException>(() => layer.Backward(new Tensor([1, .. layer.Spec.OutputShape])));
        Assert.Contains($"Layer 'l1' ({kind})", e.Message);
        Assert.Contains("Call Forward", e.Message);
    }

    [Theory]
    [InlineData(LayerKinds.Conv2d)]
    [InlineData(LayerKinds.MaxPool2d)]
    [InlineData(LayerKinds.AvgPool2d)]
    [InlineData(LayerKinds.GlobalAvgPool2d)]
    [InlineData(LayerKinds.BatchNorm2d)]
    [InlineData(LayerKinds.SpatialDropout2d)]
    public void ImageLayerWithoutAnImageInputShapeThrowsNamingTheLayer(string kind)
    {
        var e = Assert.Throws<ArgumentException>(() => LayerFactory.Build(Spec(kind), [108], new Rng(1)));
        Assert.Contains($"Layer 'l1' ({kind})", e.Message);
        Assert.Contains("Give the network an image input shape", e.Message);
    }
}

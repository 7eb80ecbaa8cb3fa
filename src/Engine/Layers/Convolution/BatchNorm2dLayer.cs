using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Batch normalisation per channel of NCHW samples, PyTorch's BatchNorm2d: each channel's statistics are taken over
/// batch × height × width (see <see cref="BatchNormLayer"/> for the statistics, the running averages and the
/// settings). Exported as ONNX BatchNormalization in inference mode.
/// </summary>
public sealed class BatchNorm2dLayer : BatchNormLayer
{
    private readonly int _channels, _height, _width;

    private BatchNorm2dLayer(LayerSpec spec, int channels, int height, int width, float epsilon, float momentum)
        : base(spec, channels, height * width, epsilon, momentum)
    {
        _channels = channels;
        _height = height;
        _width = width;
    }

    /// <summary>Builds a BatchNorm2d layer from its spec (see <see cref="LayerFactory.Build"/>). γ = 1, β = 0, running mean 0, variance 1.</summary>
    /// <exception cref="ArgumentException">epsilon ≤ 0, momentum outside [0, 1], or an input that is not [C, H, W]; the message names the layer.</exception>
    public static BatchNorm2dLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        var (c, h, w) = ConvSettings.Input(spec, inputShape);
        var (eps, momentum) = Complete(spec, inputShape, c);
        return new BatchNorm2dLayer(spec, c, h, w, eps, momentum);
    }

    private protected override void CheckInput(Tensor input) => ConvSettings.CheckBatch(Spec, input, _channels, _height, _width);
}

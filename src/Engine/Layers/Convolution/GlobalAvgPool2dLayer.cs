using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// The mean of each channel over its whole plane: [C, H, W] → [C]. The output is flat (not [C, 1, 1]) because a
/// Dense layer follows it; an ONNX exporter writes GlobalAveragePool followed by Flatten. No settings.
/// </summary>
public sealed class GlobalAvgPool2dLayer : ILayer
{
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly int _channels, _height, _width, _plane;
    private int _rows = -1;

    private GlobalAvgPool2dLayer(LayerSpec spec, int channels, int height, int width)
    {
        Spec = spec;
        _channels = channels;
        _height = height;
        _width = width;
        _plane = height * width;
        _output = LayerChecks.Buffer(spec.OutputShape);
        _inputGradient = LayerChecks.Buffer(spec.InputShape);
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Builds a GlobalAvgPool2d layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    /// <exception cref="ArgumentException">The input is not [C, H, W].</exception>
    public static GlobalAvgPool2dLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        var (c, h, w) = ConvSettings.Input(spec, inputShape);
        spec.InputShape = inputShape;
        spec.OutputShape = [c];
        spec.Parameters.Clear();
        return new GlobalAvgPool2dLayer(spec, c, h, w);
    }

    /// <inheritdoc />
    // x: [batch, C, H, W] → y: [batch, C], y = mean over H·W
    public Tensor Forward(Tensor input, bool training)
    {
        ConvSettings.CheckBatch(Spec, input, _channels, _height, _width);
        _rows = input.Rows;
        _output.ResizeRows(_rows);
        var x = input.Span;
        var y = _output.Span;
        for (int p = 0; p < _rows * _channels; p++) y[p] = TensorPrimitives.Sum(x.Slice(p * _plane, _plane)) / _plane;
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, C] → dx: [batch, C, H, W], dx = dy/(H·W) over the plane
    public Tensor Backward(Tensor outputGradient)
    {
        LayerChecks.Forwarded(Spec, _rows);
        LayerChecks.Gradient(Spec, outputGradient, _rows, _channels);
        _inputGradient.ResizeRows(_rows);
        var dy = outputGradient.Span;
        var dx = _inputGradient.Span;
        for (int p = 0; p < _rows * _channels; p++) dx.Slice(p * _plane, _plane).Fill(dy[p] / _plane);
        return _inputGradient;
    }
}

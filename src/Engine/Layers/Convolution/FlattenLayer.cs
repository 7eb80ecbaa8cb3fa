using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// [C, H, W] (or any per-sample shape) → [C·H·W] in NCHW order, which is the order of ONNX Flatten (axis 1) on an
/// NCHW tensor, so an exporter writes Flatten and the Dense weights that follow need no permutation. The values are
/// copied (a batch of the book's CNN is 0.8 MB), so the layer owns its output like every other layer. No settings.
/// </summary>
public sealed class FlattenLayer : ILayer
{
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly int _size;
    private int _rows = -1;

    private FlattenLayer(LayerSpec spec, int size)
    {
        Spec = spec;
        _size = size;
        _output = LayerChecks.Buffer(spec.OutputShape);
        _inputGradient = LayerChecks.Buffer(spec.InputShape);
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Builds a Flatten layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    /// <exception cref="ArgumentException">The input shape is empty.</exception>
    public static FlattenLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        int size = LayerChecks.Size(inputShape);
        if (inputShape.Length == 0 || size <= 0)
            throw new ArgumentException($"Layer '{spec.Name}' (Flatten) has an empty input shape [{string.Join(", ", inputShape)}].");
        spec.InputShape = inputShape;
        spec.OutputShape = [size];
        spec.Parameters.Clear();
        return new FlattenLayer(spec, size);
    }

    /// <inheritdoc />
    // x: [batch, C, H, W] → y: [batch, C·H·W]
    public Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.Input(Spec, input, _size);
        _rows = input.Rows;
        _output.ResizeRows(_rows);
        input.Span.CopyTo(_output.Span);
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, C·H·W] → dx: [batch, C, H, W]
    public Tensor Backward(Tensor outputGradient)
    {
        LayerChecks.Forwarded(Spec, _rows);
        LayerChecks.Gradient(Spec, outputGradient, _rows, _size);
        _inputGradient.ResizeRows(_rows);
        outputGradient.Span.CopyTo(_inputGradient.Span);
        return _inputGradient;
    }
}

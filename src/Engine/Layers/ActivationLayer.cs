using DlBook.Engine.Activations;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Applies an <see cref="Activations.Activation"/> element-wise (Softmax/LogSoftmax: over each sample's values).
/// It keeps only its output, from which every derivative is computed. Settings: activation, alpha.
/// </summary>
public sealed class ActivationLayer : ILayer
{
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly int _size;

    private ActivationLayer(LayerSpec spec, Activation activation, float alpha, int size)
    {
        Spec = spec;
        Activation = activation;
        Alpha = alpha;
        _size = size;
        _output = LayerChecks.Buffer(spec.InputShape);
        _inputGradient = LayerChecks.Buffer(spec.InputShape);
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>The function applied.</summary>
    public Activation Activation { get; }

    /// <summary>α of LeakyRelu/Elu.</summary>
    public float Alpha { get; }

    /// <summary>Builds an Activation layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    public static ActivationLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        Activation activation;
        try { activation = ActivationFunctions.Parse(spec.GetString("activation")); }
        catch (ArgumentException e) { throw new ArgumentException($"Layer '{spec.Name}': {e.Message}", e); }
        float alpha = spec.Has("alpha") ? spec.GetFloat("alpha") : ActivationFunctions.DefaultAlpha(activation);
        spec.InputShape = inputShape;
        spec.OutputShape = (int[])inputShape.Clone();
        spec.Parameters.Clear();
        return new ActivationLayer(spec, activation, alpha, LayerChecks.Size(inputShape));
    }

    /// <inheritdoc />
    // x: [batch, ..shape] → y: [batch, ..shape]
    public Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.Input(Spec, input, _size);
        LayerChecks.EnsureRows(_output, input, input.Rows);
        ActivationFunctions.Forward(Activation, input.Span, _output.Span, _size, Alpha);
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, ..shape] → dx: [batch, ..shape], from the saved y
    public Tensor Backward(Tensor outputGradient)
    {
        LayerChecks.Gradient(Spec, outputGradient, _output.Rows, _size);
        LayerChecks.EnsureRows(_inputGradient, _output, _output.Rows);
        ActivationFunctions.Backward(Activation, _output.Span, outputGradient.Span, _inputGradient.Span, _size, Alpha);
        return _inputGradient;
    }
}

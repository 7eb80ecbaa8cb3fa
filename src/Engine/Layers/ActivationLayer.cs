using DlBook.Engine.Activations;
using DlBook.Engine.Kernels;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Applies an <see cref="Activations.Activation"/> element-wise (Softmax/LogSoftmax: over each sample's values).
/// It keeps only its output, from which every derivative is computed. Settings: activation, alpha.
/// ReLU, leaky ReLU and identity, whose arithmetic is exact, run split by samples over the engine's threads when
/// the batch is large (a CNN's feature maps); the others on the calling thread, so their vector/scalar split, and
/// with it every bit, stays that of one pass.
/// </summary>
public sealed class ActivationLayer : ILayer, IPartitionedWork
{
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly int _size;
    // The pass in progress, read by RunPart on every thread.
    private Tensor? _source;
    private bool _backward;

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
        GradientMasked = false;
        LayerChecks.EnsureRows(_output, input, input.Rows);
        Run(input, backward: false, input.Rows);
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, ..shape] → dx: [batch, ..shape], from the saved y
    public Tensor Backward(Tensor outputGradient)
    {
        LayerChecks.Gradient(Spec, outputGradient, _output.Rows, _size);
        if (GradientMasked)
        {
            // The max pool this ReLU feeds routed its gradient only where y > 0: that is ReLU′ already.
            GradientMasked = false;
            return outputGradient;
        }
        LayerChecks.EnsureRows(_inputGradient, _output, _output.Rows);
        Run(outputGradient, backward: true, _output.Rows);
        return _inputGradient;
    }

    /// <summary>The output of the last Forward; the max pool this layer feeds recognises its input by it.</summary>
    internal Tensor Output => _output;

    /// <summary>
    /// Set by the <see cref="MaxPool2dLayer"/> a ReLU feeds when its Backward routed each gradient only to a winner
    /// with y &gt; 0 (see <see cref="MaxPool2dLayer.Relu"/>); the next Backward then passes the gradient through.
    /// </summary>
    internal bool GradientMasked { get; set; }

    private void Run(Tensor source, bool backward, int rows)
    {
        bool exact = Activation is Activation.Relu or Activation.LeakyRelu or Activation.Identity;
        int parts = exact ? SampleParallel.Parts(rows, (long)rows * _size) : 1;
        (_source, _backward) = (source, backward);
        try
        {
            SampleParallel.Run(this, parts);
        }
        finally
        {
            _source = null;
        }
    }

    // Samples [part·rows/parts, (part + 1)·rows/parts).
    void IPartitionedWork.RunPart(int part, int parts)
    {
        int rows = _output.Rows;
        int first = (int)((long)part * rows / parts), end = (int)((long)(part + 1) * rows / parts);
        int offset = first * _size, length = (end - first) * _size;
        if (_backward)
            ActivationFunctions.Backward(Activation, _output.Span.Slice(offset, length), _source!.Span.Slice(offset, length),
                _inputGradient.Span.Slice(offset, length), _size, Alpha);
        else
            ActivationFunctions.Forward(Activation, _source!.Span.Slice(offset, length), _output.Span.Slice(offset, length), _size, Alpha);
    }
}

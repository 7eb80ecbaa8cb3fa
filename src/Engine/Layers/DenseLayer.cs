using DlBook.Engine.Initializers;
using DlBook.Engine.Kernels;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// Fully connected layer y = x·Wᵀ + b with W [out, in] and b [out]. The bias is written into the
/// output first and the GEMM accumulates onto it (β = 1), so bias and product take one pass.
/// Settings: units, init (default GlorotUniform), biasInit (default Zeros).
/// </summary>
public sealed class DenseLayer : ILayer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private Tensor? _input;

    private DenseLayer(LayerSpec spec, int inputs, int units)
    {
        Spec = spec;
        Inputs = inputs;
        Units = units;
        Weights = new Parameter("W", new Tensor(units, inputs), isWeight: true);
        Bias = new Parameter("b", new Tensor(units), isWeight: false);
        _parameters = [Weights, Bias];
        _output = new Tensor(1, units);
        _inputGradient = new Tensor(1, inputs);
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>W [out, in].</summary>
    public Parameter Weights { get; }

    /// <summary>b [out].</summary>
    public Parameter Bias { get; }

    /// <summary>Values per input sample.</summary>
    public int Inputs { get; }

    /// <summary>Output units.</summary>
    public int Units { get; }

    /// <summary>
    /// False skips ∂C/∂x in <see cref="Backward"/> (it returns an empty gradient). The network's first layer
    /// needs no input gradient, and for [784,30,10] that saves a third of the step.
    /// </summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <summary>Builds a Dense layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    public static DenseLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        int units = spec.GetInt("units");
        if (units <= 0) throw new ArgumentException($"Layer '{spec.Name}' (Dense) needs units > 0; got {units}.");
        int inputs = LayerChecks.Size(inputShape);
        if (inputs <= 0) throw new ArgumentException($"Layer '{spec.Name}' (Dense) has an empty input shape [{string.Join(", ", inputShape)}].");
        if (!spec.Has("init")) spec.With("init", "GlorotUniform");
        if (!spec.Has("biasInit")) spec.With("biasInit", "Zeros");
        var weightInit = InitializerFactory.Create(spec.GetString("init"));
        var biasInit = InitializerFactory.Create(spec.GetString("biasInit"));
        spec.InputShape = inputShape;
        spec.OutputShape = [units];
        spec.Parameters.Clear();
        spec.Parameters.Add(new ParameterSpec("W", [units, inputs]));
        spec.Parameters.Add(new ParameterSpec("b", [units]));
        var layer = new DenseLayer(spec, inputs, units);
        if (rng is not null)
        {
            weightInit.Fill(layer.Weights.Value, inputs, units, rng);
            biasInit.Fill(layer.Bias.Value, inputs, units, rng);
        }
        return layer;
    }

    /// <inheritdoc />
    // x: [batch, in] → y: [batch, out]; W: [out, in], b: [out]
    public Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.Input(Spec, input, Inputs);
        int batch = input.Rows;
        _input = input;
        _output.ResizeRows(batch);
        var y = _output.Span;
        var b = Bias.Value.Span;
        RowKernels.Broadcast(b, y, batch);
        Gemm.Multiply(Transpose.No, Transpose.Yes, batch, Units, Inputs,
            1f, input.Span, Inputs, Weights.Value.Span, Inputs, 1f, y, Units);
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, out] → dx: [batch, in]; dW = dyᵀ·x [out, in], db = Σ_batch dy [out]
    public Tensor Backward(Tensor outputGradient)
    {
        var x = LayerChecks.Forwarded(Spec, _input);
        int batch = x.Rows;
        LayerChecks.Gradient(Spec, outputGradient, batch, Units);
        var dy = outputGradient.Span;
        Gemm.Multiply(Transpose.Yes, Transpose.No, Units, Inputs, batch,
            1f, dy, Units, x.Span, Inputs, 0f, Weights.Gradient.Span, Inputs);
        var db = Bias.Gradient.Span;
        if (batch > 0) RowKernels.SumRows(dy, db, batch);
        else db.Clear();
        if (!ComputeInputGradient)
        {
            _inputGradient.ResizeRows(0);
            return _inputGradient;
        }
        LayerChecks.EnsureRows(_inputGradient, x, batch);
        Gemm.Multiply(Transpose.No, Transpose.No, batch, Inputs, Units,
            1f, dy, Units, Weights.Value.Span, Inputs, 0f, _inputGradient.Span, Inputs);
        return _inputGradient;
    }
}

using DlBook.Engine.Initializers;
using DlBook.Engine.Kernels;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// A Dense layer applied at every step, y_t = W x_t + b, as one GEMM over batch·T rows (ONNX: MatMul + Add on the
/// [batch, T, in] tensor). W [units, in], b [units]. Settings: units, init (GlorotUniform), biasInit (Zeros).
/// Input [batch, T, in] with any T ≥ 1 (or [batch, T·in] with the spec's T); output [batch, T, units].
/// </summary>
public sealed class TimeDistributedDenseLayer : ILayer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private Tensor? _input;
    private int _steps;

    private TimeDistributedDenseLayer(LayerSpec spec, int inputs, int units)
    {
        Spec = spec;
        Inputs = inputs;
        Units = units;
        Weights = new Parameter("W", new Tensor(units, inputs), isWeight: true);
        Bias = new Parameter("b", new Tensor(units), isWeight: false);
        _parameters = [Weights, Bias];
        _output = new Tensor(1, 1, units);
        _inputGradient = new Tensor(1, 1, inputs);
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>W [units, in].</summary>
    public Parameter Weights { get; }

    /// <summary>b [units].</summary>
    public Parameter Bias { get; }

    /// <summary>Features per input step.</summary>
    public int Inputs { get; }

    /// <summary>Outputs per step.</summary>
    public int Units { get; }

    /// <summary>False skips ∂C/∂x in <see cref="Backward"/> (it returns an empty gradient).</summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <summary>Builds a TimeDistributedDense layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    public static TimeDistributedDenseLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        int units = spec.GetInt("units");
        if (units <= 0) throw new ArgumentException($"Layer '{spec.Name}' (TimeDistributedDense) needs units > 0; got {units}.");
        if (inputShape.Length != 2 || inputShape[0] <= 0 || inputShape[1] <= 0)
            throw new ArgumentException(
                $"Layer '{spec.Name}' (TimeDistributedDense) needs a sequence input [T, features]; got [{string.Join(", ", inputShape)}].");
        if (!spec.Has("init")) spec.With("init", "GlorotUniform");
        if (!spec.Has("biasInit")) spec.With("biasInit", "Zeros");
        var weightInit = InitializerFactory.Create(spec.GetString("init"));
        var biasInit = InitializerFactory.Create(spec.GetString("biasInit"));
        int inputs = inputShape[1];
        spec.InputShape = inputShape;
        spec.OutputShape = [inputShape[0], units];
        spec.Parameters.Clear();
        spec.Parameters.Add(new ParameterSpec("W", [units, inputs]));
        spec.Parameters.Add(new ParameterSpec("b", [units]));
        var layer = new TimeDistributedDenseLayer(spec, inputs, units);
        if (rng is not null)
        {
            weightInit.Fill(layer.Weights.Value, inputs, units, rng);
            biasInit.Fill(layer.Bias.Value, inputs, units, rng);
        }
        return layer;
    }

    /// <inheritdoc />
    // x: [batch, T, in] → y: [batch, T, units]; W: [units, in], b: [units]
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        int steps;
        if (input.Rank == 3 && input.Dim(2) == Inputs && input.Dim(1) > 0) steps = input.Dim(1);
        else if (input.Rank == 2 && input.RowSize == Spec.InputShape[0] * Inputs) steps = Spec.InputShape[0];
        else
            throw new ArgumentException(
                $"Layer '{Spec.Name}' (TimeDistributedDense) expects input [batch, T, {Inputs}] but got {input.ShapeString}.");
        int rows = input.Rows * steps;
        _input = input;
        _steps = steps;
        _output.Resize(input.Rows, steps, Units);
        var y = _output.Span;
        RowKernels.Broadcast(Bias.Value.Span, y, rows);
        Gemm.Multiply(Transpose.No, Transpose.Yes, rows, Units, Inputs,
            1f, input.Span, Inputs, Weights.Value.Span, Inputs, 1f, y, Units);
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, T, units] → dx: [batch, T, in]; dW = Σ_{batch,T} dyᵀ·x, db = Σ dy
    public Tensor Backward(Tensor outputGradient)
    {
        var x = LayerChecks.Forwarded(Spec, _input);
        ArgumentNullException.ThrowIfNull(outputGradient);
        int rows = x.Rows * _steps;
        LayerChecks.Gradient(Spec, outputGradient, x.Rows, _steps * Units);
        var dy = outputGradient.Span;
        Gemm.Multiply(Transpose.Yes, Transpose.No, Units, Inputs, rows,
            1f, dy, Units, x.Span, Inputs, 0f, Weights.Gradient.Span, Inputs);
        if (rows > 0) RowKernels.SumRows(dy, Bias.Gradient.Span, rows);
        else Bias.Gradient.Clear();
        if (!ComputeInputGradient)
        {
            _inputGradient.ResizeRows(0);
            return _inputGradient;
        }
        LayerChecks.EnsureRows(_inputGradient, x, x.Rows);
        Gemm.Multiply(Transpose.No, Transpose.No, rows, Inputs, Units,
            1f, dy, Units, Weights.Value.Span, Inputs, 0f, _inputGradient.Span, Inputs);
        return _inputGradient;
    }
}

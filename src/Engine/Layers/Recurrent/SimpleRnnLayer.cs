using System.Runtime.Intrinsics;
using DlBook.Engine.Activations;
using DlBook.Engine.Random;
using static DlBook.Engine.Layers.GateMath;

namespace DlBook.Engine.Layers;

/// <summary>
/// The vanilla (Elman) recurrent layer, the ONNX RNN operator: h = f(W x + R h₋ + Wb + Rb) with f = tanh (default)
/// or relu. Settings: units, activation (Tanh | Relu), returnSequences, bidirectional, init, recurrentInit,
/// biasInit, bpttSteps (see <see cref="LstmLayer"/> for defaults).
/// </summary>
public sealed unsafe class SimpleRnnLayer : RecurrentLayer
{
    private readonly bool _relu;

    private SimpleRnnLayer(LayerSpec spec, int inputs, int units, bool returnSequences, bool bidirectional, int bptt, Activation activation)
        : base(spec, inputs, units, 1, returnSequences, bidirectional, bptt, hasCell: false, hasAux: false)
    {
        Activation = activation;
        _relu = activation == Activation.Relu;
    }

    /// <inheritdoc />
    public override RecurrentCell Cell => RecurrentCell.SimpleRnn;

    /// <summary>The non-linearity f (Tanh or Relu).</summary>
    public Activation Activation { get; }

    /// <summary>Builds a SimpleRnn layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    public static SimpleRnnLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        var (inputs, units, returnSequences, bidirectional, bptt) = ReadSpec(spec, inputShape, 1);
        if (!spec.Has("activation")) spec.With("activation", Activation.Tanh.ToString());
        Activation activation;
        try { activation = ActivationFunctions.Parse(spec.GetString("activation")); }
        catch (ArgumentException e) { throw new ArgumentException($"Layer '{spec.Name}': {e.Message}", e); }
        if (activation is not (Activation.Tanh or Activation.Relu))
            throw new ArgumentException($"Layer '{spec.Name}' (SimpleRnn) supports activation Tanh or Relu (as ONNX RNN exports them); got {activation}.");
        var layer = new SimpleRnnLayer(spec, inputs, units, returnSequences, bidirectional, bptt, activation);
        if (rng is not null) layer.Initialize(rng);
        return layer;
    }

    private protected override void FillBiasRow(ReadOnlySpan<float> wb, ReadOnlySpan<float> rb, Span<float> row) =>
        System.Numerics.Tensors.TensorPrimitives.Add(wb, rb, row);

    private protected override void ForwardRow(in RowInput g, float* gates, float* rec, float* rb, float* hPrev, float* h,
        float* cPrev, float* c, float* aux, int n)
    {
        int j = 0;
        if (Vector)
        {
            for (; j <= n - 16; j += 16)
            {
                var a = g.Load(j) + Vector512.Load(rec + j);
                (_relu ? Vector512.Max(a, Vector512<float>.Zero) : Tanh(a)).Store(h + j);
            }
        }
        for (; j < n; j++)
        {
            float a = g[j] + rec[j];
            h[j] = _relu ? MathF.Max(a, 0f) : Tanh(a);
        }
    }

    // f′ from the output: 1 − h² for tanh, [h > 0] for relu.
    private protected override void BackwardRow(float* g, float* hPrev, float* h, float* cPrev, float* aux,
        float* dh, float* dc, float* dxg, float* drg, int n)
    {
        int j = 0;
        if (Vector)
        {
            for (; j <= n - 16; j += 16)
            {
                var y = Vector512.Load(h + j); var d = Vector512.Load(dh + j);
                var da = _relu ? Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), d, Vector512<float>.Zero)
                    : d * (Vector512<float>.One - y * y);
                da.Store(dxg + j);
                Vector512<float>.Zero.Store(dh + j);
            }
        }
        for (; j < n; j++)
        {
            float y = h[j];
            dxg[j] = _relu ? (y > 0 ? dh[j] : 0f) : dh[j] * (1 - y * y);
            dh[j] = 0;
        }
    }
}

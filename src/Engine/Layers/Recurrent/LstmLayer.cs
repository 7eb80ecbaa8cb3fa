using System.Runtime.Intrinsics;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using static DlBook.Engine.Layers.GateMath;

namespace DlBook.Engine.Layers;

/// <summary>
/// Long short-term memory, the ONNX LSTM operator without peepholes or clipping and with its default activations:
/// i = σ(W_i x + R_i h₋ + Wb_i + Rb_i), o = σ(…), f = σ(…), c̃ = tanh(…), c = f ⊙ c₋ + i ⊙ c̃, h = o ⊙ tanh(c).
/// Gate blocks in W, R and B are in the ONNX order i, o, f, c. Settings: units, returnSequences (false),
/// bidirectional (false), init (GlorotUniform), recurrentInit (Orthogonal), biasInit (Zeros), unitForgetBias (true:
/// Wb_f starts at 1, as Keras), bpttSteps (0). See <see cref="RecurrentLayer"/> for shapes, lengths and state.
/// </summary>
public sealed unsafe class LstmLayer : RecurrentLayer
{
    private LstmLayer(LayerSpec spec, int inputs, int units, bool returnSequences, bool bidirectional, int bptt)
        : base(spec, inputs, units, 4, returnSequences, bidirectional, bptt, hasCell: true, hasAux: true)
    {
    }

    /// <inheritdoc />
    public override RecurrentCell Cell => RecurrentCell.Lstm;

    /// <summary>c₀ [dirs, batch, H] (ONNX initial_c) for the next Forward calls, or null for zeros.</summary>
    public Tensor? InitialCellState
    {
        get => InitialCell;
        set => InitialCell = value;
    }

    /// <summary>c after each row's last step [dirs, batch, H] (ONNX Y_c), after Forward; see <see cref="RecurrentLayer.FinalState"/>.</summary>
    public Tensor FinalCellState => FinalCell;

    /// <summary>∂C/∂c₀ [dirs, batch, H] after Backward.</summary>
    public Tensor InitialCellStateGradient => InitialCellGradient;

    /// <summary>Builds an LSTM layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    public static LstmLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        var (inputs, units, returnSequences, bidirectional, bptt) = ReadSpec(spec, inputShape, 4);
        if (!spec.Has("unitForgetBias")) spec.With("unitForgetBias", true);
        var layer = new LstmLayer(spec, inputs, units, returnSequences, bidirectional, bptt);
        if (rng is null) return layer;
        layer.Initialize(rng);
        if (spec.GetBool("unitForgetBias"))
        {
            // Forgetting little at first lets gradients through early training (Jozefowicz et al. 2015).
            var b = layer.Bias.Value.Span;
            for (int d = 0; d < layer.Directions; d++) b.Slice(d * 8 * units + 2 * units, units).Fill(1f);
        }
        return layer;
    }

    private protected override void FillBiasRow(ReadOnlySpan<float> wb, ReadOnlySpan<float> rb, Span<float> row) =>
        System.Numerics.Tensors.TensorPrimitives.Add(wb, rb, row);

    // g [4H] (i, o, f, c̃): W·x + Wb + Rb; gates: the activated gates; aux: tanh c.
    private protected override void ForwardRow(in RowInput g, float* gates, float* rec, float* rb, float* hPrev, float* h,
        float* cPrev, float* c, float* aux, int n) => Step<KeepGates>(g, gates, rec, h, cPrev, c, aux, n);

    private protected override bool HasInferRow => true;

    private protected override void InferRow(in RowInput g, float* rec, float* rb, float* hPrev, float* h, float* cPrev, float* c, int n) =>
        Step<StatesOnly>(g, null, rec, h, cPrev, c, null, n);

    // One row's step; with StatesOnly (inference) the gates and tanh c, which only Backward reads, are not stored.
    // Never inlined: inlined into the one-line ForwardRow/InferRow, it made them the JIT's root, whose small inlining
    // budget then ran out before σ, tanh and the input loads were inlined (calls passing 64-byte vectors through
    // memory), depending on what dynamic PGO had seen. Inference after training in the same process: 1.11–1.27× with
    // this (LSTM H 128, 12 pairs of processes), 1.08–1.16× (char-LSTM, 5 pairs).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Step<TStore>(in RowInput g, float* gates, float* rec, float* h, float* cPrev, float* c, float* aux, int n)
        where TStore : struct, IGateStore
    {
        float* ri = rec, ro = rec + n, rf = rec + 2 * n, rc = rec + 3 * n;
        float* ai = gates, ao = gates + n, af = gates + 2 * n, ac = gates + 3 * n;
        int j = 0;
        if (Vector)
        {
            for (; j <= n - 16; j += 16)
            {
                var i = Sigmoid(g.Load(j) + Vector512.Load(ri + j));
                var o = Sigmoid(g.Load(n + j) + Vector512.Load(ro + j));
                var f = Sigmoid(g.Load(2 * n + j) + Vector512.Load(rf + j));
                var cc = Tanh(g.Load(3 * n + j) + Vector512.Load(rc + j));
                var cn = f * Vector512.Load(cPrev + j) + i * cc;
                var ct = Tanh(cn);
                if (TStore.Keep)
                {
                    i.Store(ai + j); o.Store(ao + j); f.Store(af + j); cc.Store(ac + j); ct.Store(aux + j);
                }
                cn.Store(c + j); (o * ct).Store(h + j);
            }
        }
        for (; j < n; j++)
        {
            float i = Sigmoid(g[j] + ri[j]), o = Sigmoid(g[n + j] + ro[j]), f = Sigmoid(g[2 * n + j] + rf[j]), cc = Tanh(g[3 * n + j] + rc[j]);
            float cn = f * cPrev[j] + i * cc, ct = Tanh(cn);
            if (TStore.Keep)
            {
                ai[j] = i; ao[j] = o; af[j] = f; ac[j] = cc; aux[j] = ct;
            }
            c[j] = cn; h[j] = o * ct;
        }
    }

    private protected override void BackwardRow(float* g, float* hPrev, float* h, float* cPrev, float* aux,
        float* dh, float* dc, float* dxg, float* drg, int n)
    {
        float* gi = g, go = g + n, gf = g + 2 * n, gc = g + 3 * n;
        int j = 0;
        if (Vector)
        {
            var one = Vector512<float>.One;
            for (; j <= n - 16; j += 16)
            {
                var i = Vector512.Load(gi + j); var o = Vector512.Load(go + j);
                var f = Vector512.Load(gf + j); var cc = Vector512.Load(gc + j);
                var ct = Vector512.Load(aux + j); var dhv = Vector512.Load(dh + j);
                var dC = Vector512.Load(dc + j) + dhv * o * (one - ct * ct);
                (dC * cc * i * (one - i)).Store(dxg + j);
                (dhv * ct * o * (one - o)).Store(dxg + n + j);
                (dC * Vector512.Load(cPrev + j) * f * (one - f)).Store(dxg + 2 * n + j);
                (dC * i * (one - cc * cc)).Store(dxg + 3 * n + j);
                (dC * f).Store(dc + j);
                Vector512<float>.Zero.Store(dh + j);
            }
        }
        for (; j < n; j++)
        {
            float i = gi[j], o = go[j], f = gf[j], cc = gc[j], ct = aux[j], dhv = dh[j];
            float dC = dc[j] + dhv * o * (1 - ct * ct);
            dxg[j] = dC * cc * i * (1 - i);
            dxg[n + j] = dhv * ct * o * (1 - o);
            dxg[2 * n + j] = dC * cPrev[j] * f * (1 - f);
            dxg[3 * n + j] = dC * i * (1 - cc * cc);
            dc[j] = dC * f;
            dh[j] = 0;
        }
    }
}

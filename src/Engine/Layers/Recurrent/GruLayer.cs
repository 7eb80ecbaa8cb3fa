using System.Runtime.Intrinsics;
using DlBook.Engine.Random;
using static DlBook.Engine.Layers.GateMath;

namespace DlBook.Engine.Layers;

/// <summary>
/// Gated recurrent unit, the ONNX GRU operator with linear_before_reset = 1 (PyTorch's and Keras v2's GRU) and its
/// default activations: z = σ(W_z x + R_z h₋ + Wb_z + Rb_z), r = σ(W_r x + R_r h₋ + Wb_r + Rb_r),
/// h̃ = tanh(W_h x + Wb_h + r ⊙ (R_h h₋ + Rb_h)), h = (1 − z) ⊙ h̃ + z ⊙ h₋. Gate blocks in the ONNX order z, r, h.
/// Settings: units, returnSequences, bidirectional, init, recurrentInit, biasInit, bpttSteps (see
/// <see cref="LstmLayer"/> for defaults), linearBeforeReset (always true; false is rejected).
/// </summary>
public sealed unsafe class GruLayer : RecurrentLayer
{
    private GruLayer(LayerSpec spec, int inputs, int units, bool returnSequences, bool bidirectional, int bptt)
        : base(spec, inputs, units, 3, returnSequences, bidirectional, bptt, hasCell: false, hasAux: true)
    {
    }

    /// <inheritdoc />
    public override RecurrentCell Cell => RecurrentCell.Gru;

    /// <summary>Builds a GRU layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    public static GruLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        var (inputs, units, returnSequences, bidirectional, bptt) = ReadSpec(spec, inputShape, 3);
        if (!spec.Has("linearBeforeReset")) spec.With("linearBeforeReset", true);
        if (!spec.GetBool("linearBeforeReset"))
            throw new ArgumentException($"Layer '{spec.Name}' (Gru) supports only linearBeforeReset = true (the PyTorch and Keras v2 GRU).");
        var layer = new GruLayer(spec, inputs, units, returnSequences, bidirectional, bptt);
        if (rng is not null) layer.Initialize(rng);
        return layer;
    }

    private protected override bool SeparateRecurrentGradient => true;

    // z and r take both biases up front; h̃'s recurrent bias goes inside r ⊙ (…), so only Wb_h is added here.
    private protected override void FillBiasRow(ReadOnlySpan<float> wb, ReadOnlySpan<float> rb, Span<float> row)
    {
        int n2 = 2 * (row.Length / 3);
        System.Numerics.Tensors.TensorPrimitives.Add(wb[..n2], rb[..n2], row[..n2]);
        wb[n2..].CopyTo(row[n2..]);
    }

    // g [3H] (z, r, h̃): W·x + biases; gates: the activated gates; aux: R_h·h₋ + Rb_h.
    private protected override void ForwardRow(in RowInput g, float* gates, float* rec, float* rb, float* hPrev, float* h,
        float* cPrev, float* c, float* aux, int n)
    {
        float* az = gates, ar = gates + n, ah = gates + 2 * n;
        float* rz = rec, rr = rec + n, rh = rec + 2 * n, rbh = rb + 2 * n;
        int j = 0;
        if (Vector)
        {
            for (; j <= n - 16; j += 16)
            {
                var z = Sigmoid(g.Load(j) + Vector512.Load(rz + j));
                var r = Sigmoid(g.Load(n + j) + Vector512.Load(rr + j));
                var rn = Vector512.Load(rh + j) + Vector512.Load(rbh + j);
                var nn = Tanh(g.Load(2 * n + j) + r * rn);
                var hp = Vector512.Load(hPrev + j);
                z.Store(az + j); r.Store(ar + j); nn.Store(ah + j); rn.Store(aux + j);
                (nn + z * (hp - nn)).Store(h + j);
            }
        }
        for (; j < n; j++)
        {
            float z = Sigmoid(g[j] + rz[j]), r = Sigmoid(g[n + j] + rr[j]), rn = rh[j] + rbh[j];
            float nn = Tanh(g[2 * n + j] + r * rn);
            az[j] = z; ar[j] = r; ah[j] = nn; aux[j] = rn;
            h[j] = nn + z * (hPrev[j] - nn);
        }
    }

    private protected override bool HasInferRow => true;

    // ForwardRow's h, without storing the gates and R_h·h₋ + Rb_h that only Backward reads. A second kernel rather
    // than the LSTM's one kernel with compile-time stores: for the GRU that ran inference 4–6 % slower.
    private protected override void InferRow(in RowInput g, float* rec, float* rb, float* hPrev, float* h, float* cPrev, float* c, int n)
    {
        float* rz = rec, rr = rec + n, rh = rec + 2 * n, rbh = rb + 2 * n;
        int j = 0;
        if (Vector)
        {
            for (; j <= n - 16; j += 16)
            {
                var z = Sigmoid(g.Load(j) + Vector512.Load(rz + j));
                var r = Sigmoid(g.Load(n + j) + Vector512.Load(rr + j));
                var rn = Vector512.Load(rh + j) + Vector512.Load(rbh + j);
                var nn = Tanh(g.Load(2 * n + j) + r * rn);
                (nn + z * (Vector512.Load(hPrev + j) - nn)).Store(h + j);
            }
        }
        for (; j < n; j++)
        {
            float z = Sigmoid(g[j] + rz[j]), r = Sigmoid(g[n + j] + rr[j]), rn = rh[j] + rbh[j];
            float nn = Tanh(g[2 * n + j] + r * rn);
            h[j] = nn + z * (hPrev[j] - nn);
        }
    }

    private protected override void BackwardRow(float* g, float* hPrev, float* h, float* cPrev, float* aux,
        float* dh, float* dc, float* dxg, float* drg, int n)
    {
        float* gz = g, gr = g + n, gh = g + 2 * n;
        int j = 0;
        if (Vector)
        {
            var one = Vector512<float>.One;
            for (; j <= n - 16; j += 16)
            {
                var z = Vector512.Load(gz + j); var r = Vector512.Load(gr + j); var nn = Vector512.Load(gh + j);
                var rn = Vector512.Load(aux + j); var dhv = Vector512.Load(dh + j);
                var daz = dhv * (Vector512.Load(hPrev + j) - nn) * z * (one - z);
                var dan = dhv * (one - z) * (one - nn * nn);
                var dar = dan * rn * r * (one - r);
                daz.Store(dxg + j); dar.Store(dxg + n + j); dan.Store(dxg + 2 * n + j);
                daz.Store(drg + j); dar.Store(drg + n + j); (dan * r).Store(drg + 2 * n + j);
                (dhv * z).Store(dh + j);
            }
        }
        for (; j < n; j++)
        {
            float z = gz[j], r = gr[j], nn = gh[j], rn = aux[j], dhv = dh[j];
            float daz = dhv * (hPrev[j] - nn) * z * (1 - z);
            float dan = dhv * (1 - z) * (1 - nn * nn);
            float dar = dan * rn * r * (1 - r);
            dxg[j] = daz; dxg[n + j] = dar; dxg[2 * n + j] = dan;
            drg[j] = daz; drg[n + j] = dar; drg[2 * n + j] = dan * r;
            dh[j] = dhv * z;
        }
    }
}

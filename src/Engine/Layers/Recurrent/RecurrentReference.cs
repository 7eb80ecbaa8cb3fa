namespace DlBook.Engine.Layers;

/// <summary>
/// The readable twin of the fast recurrent layers: plain scalar loops in double precision, one row, one step and
/// one gate at a time, straight from the ONNX RNN/LSTM/GRU equations (see <see cref="SimpleRnnLayer"/>,
/// <see cref="LstmLayer"/>, <see cref="GruLayer"/>). Tests hold the fast layers to it. Arrays are row-major:
/// x [batch, T, in]; W [dirs, G·H, in]; R [dirs, G·H, H]; B [dirs, 2·G·H]; h0, c0 [dirs, batch, H] (null = zeros);
/// Y [batch, T, dirs·H] (zero at t ≥ length); YLast [batch, dirs·H].
/// </summary>
public static class RecurrentReference
{
    /// <summary>Forward pass: every step's output and the last state of each direction.</summary>
    public static (float[] Y, float[] YLast) Forward(RecurrentCell cell, bool relu, int batch, int steps, int inputs, int units,
        int dirs, float[] x, float[] w, float[] r, float[] b, int[] lengths, float[]? h0, float[]? c0)
    {
        var y = new float[batch * steps * dirs * units];
        var last = new float[batch * dirs * units];
        var p = new Problem(cell, relu, steps, inputs, units, dirs, x, w, r, b, h0, c0, batch);
        for (int row = 0; row < batch; row++)
            for (int d = 0; d < dirs; d++)
            {
                var run = p.Run(row, d, lengths[row]);
                for (int s = 0; s < run.Times.Length; s++)
                    for (int j = 0; j < units; j++)
                        y[((row * steps) + run.Times[s]) * dirs * units + d * units + j] = (float)run.H[s + 1][j];
                for (int j = 0; j < units; j++) last[row * dirs * units + d * units + j] = (float)run.H[^1][j];
            }
        return (y, last);
    }

    /// <summary>
    /// Backward pass for output gradients dY [batch, T, dirs·H] and dYLast [batch, dirs·H], with truncation to the
    /// last <paramref name="bpttSteps"/> steps of each row in processing order (0 = full). Returns dx, dW, dR, dB, dh0.
    /// </summary>
    public static (float[] Dx, float[] DW, float[] DR, float[] DB, float[] DH0) Backward(RecurrentCell cell, bool relu,
        int batch, int steps, int inputs, int units, int dirs, float[] x, float[] w, float[] r, float[] b, int[] lengths,
        float[]? h0, float[]? c0, float[] dY, float[] dYLast, int bpttSteps)
    {
        var p = new Problem(cell, relu, steps, inputs, units, dirs, x, w, r, b, h0, c0, batch);
        int g = p.Gates * units;
        var dx = new double[x.Length];
        var dw = new double[w.Length];
        var dr = new double[r.Length];
        var db = new double[b.Length];
        var dh0 = new float[dirs * batch * units];
        for (int row = 0; row < batch; row++)
            for (int d = 0; d < dirs; d++)
            {
                int len = lengths[row];
                var run = p.Run(row, d, len);
                var dh = new double[units];
                var dc = new double[units];
                for (int j = 0; j < units; j++) dh[j] = dYLast[row * dirs * units + d * units + j];
                int start = bpttSteps > 0 ? Math.Max(0, len - bpttSteps) : 0;
                for (int s = len - 1; s >= start; s--)
                {
                    int t = run.Times[s];
                    for (int j = 0; j < units; j++) dh[j] += dY[(row * steps + t) * dirs * units + d * units + j];
                    var hp = run.H[s];
                    var cp = run.C[s];
                    var gate = run.Gates[s];
                    // da: gradient of each pre-activation's input part (W x + Wb); drec: of its recurrent part (R h + Rb).
                    var da = new double[g];
                    var drec = new double[g];
                    var dhp = new double[units];
                    for (int j = 0; j < units; j++)
                    {
                        switch (cell)
                        {
                            case RecurrentCell.SimpleRnn:
                            {
                                double h = run.H[s + 1][j];
                                da[j] = dh[j] * (relu ? (h > 0 ? 1 : 0) : 1 - h * h);
                                drec[j] = da[j];
                                break;
                            }
                            case RecurrentCell.Lstm:
                            {
                                double i = gate[j], o = gate[units + j], f = gate[2 * units + j], cc = gate[3 * units + j];
                                double ct = Math.Tanh(run.C[s + 1][j]);
                                double dC = dc[j] + dh[j] * o * (1 - ct * ct);
                                da[j] = dC * cc * i * (1 - i);
                                da[units + j] = dh[j] * ct * o * (1 - o);
                                da[2 * units + j] = dC * cp[j] * f * (1 - f);
                                da[3 * units + j] = dC * i * (1 - cc * cc);
                                for (int q = 0; q < 4; q++) drec[q * units + j] = da[q * units + j];
                                dc[j] = dC * f;
                                break;
                            }
                            default:
                            {
                                double z = gate[j], rr = gate[units + j], n = gate[2 * units + j], rn = run.Aux[s][j];
                                da[j] = dh[j] * (hp[j] - n) * z * (1 - z);
                                double dan = dh[j] * (1 - z) * (1 - n * n);
                                da[units + j] = dan * rn * rr * (1 - rr);
                                da[2 * units + j] = dan;
                                drec[j] = da[j];
                                drec[units + j] = da[units + j];
                                drec[2 * units + j] = dan * rr;
                                dhp[j] = dh[j] * z;
                                break;
                            }
                        }
                    }
                    for (int k = 0; k < g; k++)
                    {
                        for (int i = 0; i < inputs; i++)
                        {
                            dw[(d * g + k) * inputs + i] += da[k] * x[(row * steps + t) * inputs + i];
                            dx[(row * steps + t) * inputs + i] += da[k] * w[(d * g + k) * inputs + i];
                        }
                        for (int j = 0; j < units; j++)
                        {
                            dr[(d * g + k) * units + j] += drec[k] * hp[j];
                            dhp[j] += drec[k] * r[(d * g + k) * units + j];
                        }
                        db[d * 2 * g + k] += da[k];
                        db[d * 2 * g + g + k] += drec[k];
                    }
                    dh = dhp;
                }
                if (start == 0)
                    for (int j = 0; j < units; j++) dh0[(d * batch + row) * units + j] = (float)dh[j];
            }
        return (ToFloat(dx), ToFloat(dw), ToFloat(dr), ToFloat(db), dh0);
    }

    private static float[] ToFloat(double[] a) => a.Select(v => (float)v).ToArray();

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    private sealed record RowRun(int[] Times, double[][] H, double[][] C, double[][] Gates, double[][] Aux);

    private sealed record Problem(RecurrentCell Cell, bool Relu, int Steps, int Inputs, int Units, int Dirs,
        float[] X, float[] W, float[] R, float[] B, float[]? H0, float[]? C0, int Batch)
    {
        public int Gates => Cell switch { RecurrentCell.SimpleRnn => 1, RecurrentCell.Gru => 3, _ => 4 };

        // One row, one direction: H[s] is the state entering processing step s (H[0] = h0), H[len] the last state.
        public RowRun Run(int row, int d, int len)
        {
            int h = Units, g = Gates * h;
            var times = Enumerable.Range(0, len).Select(s => d == 0 ? s : len - 1 - s).ToArray();
            var hs = new double[len + 1][];
            var cs = new double[len + 1][];
            var gates = new double[len][];
            var aux = new double[len][];
            hs[0] = new double[h];
            cs[0] = new double[h];
            for (int j = 0; j < h; j++)
            {
                hs[0][j] = H0 is null ? 0 : H0[(d * Batch + row) * h + j];
                cs[0][j] = C0 is null ? 0 : C0[(d * Batch + row) * h + j];
            }
            for (int s = 0; s < len; s++)
            {
                int t = times[s];
                // Input part a_x[k] = W x + Wb and recurrent part a_h[k] = R h + Rb of every gate row k.
                var ax = new double[g];
                var ah = new double[g];
                for (int k = 0; k < g; k++)
                {
                    double sx = B[d * 2 * g + k], sh = B[d * 2 * g + g + k];
                    for (int i = 0; i < Inputs; i++) sx += W[(d * g + k) * Inputs + i] * X[(row * Steps + t) * Inputs + i];
                    for (int j = 0; j < h; j++) sh += R[(d * g + k) * h + j] * hs[s][j];
                    ax[k] = sx;
                    ah[k] = sh;
                }
                var hn = new double[h];
                var cn = new double[h];
                var gv = new double[g];
                var av = new double[h];
                for (int j = 0; j < h; j++)
                {
                    switch (Cell)
                    {
                        case RecurrentCell.SimpleRnn:
                            hn[j] = Relu ? Math.Max(0, ax[j] + ah[j]) : Math.Tanh(ax[j] + ah[j]);
                            break;
                        case RecurrentCell.Lstm:
                        {
                            double i = Sigmoid(ax[j] + ah[j]);
                            double o = Sigmoid(ax[h + j] + ah[h + j]);
                            double f = Sigmoid(ax[2 * h + j] + ah[2 * h + j]);
                            double cc = Math.Tanh(ax[3 * h + j] + ah[3 * h + j]);
                            cn[j] = f * cs[s][j] + i * cc;
                            hn[j] = o * Math.Tanh(cn[j]);
                            gv[j] = i; gv[h + j] = o; gv[2 * h + j] = f; gv[3 * h + j] = cc;
                            break;
                        }
                        default:
                        {
                            double z = Sigmoid(ax[j] + ah[j]);
                            double rr = Sigmoid(ax[h + j] + ah[h + j]);
                            double n = Math.Tanh(ax[2 * h + j] + rr * ah[2 * h + j]);
                            hn[j] = (1 - z) * n + z * hs[s][j];
                            gv[j] = z; gv[h + j] = rr; gv[2 * h + j] = n;
                            av[j] = ah[2 * h + j];
                            break;
                        }
                    }
                }
                hs[s + 1] = hn;
                cs[s + 1] = cn;
                gates[s] = gv;
                aux[s] = av;
            }
            return new RowRun(times, hs, cs, gates, aux);
        }
    }
}

using System.Runtime.Intrinsics;
using DlBook.Engine.Initializers;
using DlBook.Engine.Kernels;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// What <see cref="SimpleRnnLayer"/>, <see cref="LstmLayer"/> and <see cref="GruLayer"/> share: the ONNX parameter
/// layout, batch-first sequences, both directions, per-row lengths, an initial state, truncated back-propagation and
/// the per-step gradient norms. The cells differ only in their per-row step kernels.
/// </summary>
/// <remarks>
/// <para>Shapes. Input [batch, T, in] (a [batch, T·in] tensor is read as [batch, T, in] with the T of the spec; any
/// T ≥ 1 is accepted at Forward). Output [batch, T, dirs·H] when <see cref="ReturnSequences"/>, else the last state
/// [batch, dirs·H]; directions are concatenated forward ‖ backward on the feature axis (Keras, and ONNX's Y after
/// its [T, dirs, batch, H] is transposed).</para>
/// <para>Parameters, exactly the ONNX inputs: W [dirs, G·H, in], R [dirs, G·H, H], B [dirs, 2·G·H] (Wb then Rb),
/// with G gate blocks in the ONNX order (LSTM i, o, f, c; GRU z, r, h; RNN one block).</para>
/// <para>Speed. The input projections of all steps are one GEMM ([batch·(T+1), in] × Wᵀ); each step does one
/// [batch, H] × [H, G·H] GEMM and one fused pass over the gates. Backward does one [batch, G·H] × [G·H, H] GEMM per
/// step and, at the end, one GEMM each for dW, dR and ∂C/∂x over all steps. Every per-step buffer is laid out
/// [batch, T+1, ·] so that slot s of h is the state entering step s, and the all-step GEMMs pair rows without copies.
/// From a zero state (no <see cref="InitialState"/>) the first step has no product. An inference Forward of an LSTM or
/// GRU writes only h (and c), not the gates Backward reads; a Backward after one first runs that Forward again.</para>
/// </remarks>
public abstract unsafe class RecurrentLayer : ILayer, ISequenceLengthAware, Kernels.IPartitionedWork
{
    private readonly Parameter[] _parameters;
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly Tensor _initialStateGradient;
    private readonly Tensor _initialCellGradient;
    private readonly Tensor _finalState;
    private readonly Tensor _finalCell;
    private readonly AlignedBuffer _biasRow = new();
    private readonly float[] _rt;
    // The per-step product's B (Rᵀ forward, R backward) packed once per time loop when the packed GEMM takes the
    // step's product; null when the no-pack path does (small H, or one row at a time as in generation).
    private readonly GemmPackedB _packedB = new();
    private GemmPackedB? _partPacked;
    private double[] _norms = [];
    // ‖∂C/∂h_t‖² per row and step, summed over rows in row order after the loop (so parts need not share a sum).
    private double[] _rowNorms = [];
    // What the parts of a time loop run (IPartitionedWork): rows of the batch are independent through time.
    private bool _partBackward;
    private int _partDirection, _partBatch, _partSteps;
    private int[] _partLengths = [];
    private Tensor? _partOutputGradient;
    private int[]? _lengths;
    private int[] _rowLengths = [];
    private Tensor? _input;
    private int _batch = -1, _steps = -1;
    private bool _backwardReady;
    // False after an inference Forward that kept nothing for Backward (see RunKept), with the states it started from.
    private bool _kept;
    private Tensor? _leanState, _leanCell, _leanStateCopy, _leanCellCopy;
    private Tensor? _carriedState, _carriedCell;

    // Per direction, laid out [batch, T+1, ·]: x in processing order, gate pre-activations (overwritten by the
    // activated gates), states h (slot s = state entering step s), cell states (LSTM) and the cell's extra
    // per-step value (LSTM tanh c, GRU R_h·h + Rb_h).
    private float[][] _x = [], _g = [], _h = [], _c = [], _aux = [];
    private float[][] _dxg = [], _drg = [];
    private float[] _dh = [], _dc = [], _dxp = [], _dwt = [];
    // R·h₋ of the step's rows, Wᵀ of a few inputs, the token table: read 16 lanes at a time by the gates.
    private readonly AlignedBuffer _rec = new(), _wt = new(), _table = new();
    // Fed by an Embedding (Tokens): the per-token input projections [vocab, G·H] of one direction, the per-token
    // sums of their gradients, the ids of the last Forward, and whether that Forward took the table.
    private float[] _tokenSums = [];
    // Per row of the batch, its Σ_s x_s ⊗ dXG_s [in, G·H] when the inputs are few (see NarrowWeightGradient).
    private float[] _dwRows = [];
    private int[] _tokenIds = [];
    private bool _fusedTokens;
    // Below this many inputs per step the time loop projects each row itself (Forward) and sums dW per row (Backward).
    private const int NarrowInputs = 16;

    private protected RecurrentLayer(LayerSpec spec, int inputs, int units, int gates, bool returnSequences,
        bool bidirectional, int bpttSteps, bool hasCell, bool hasAux)
    {
        Spec = spec;
        Inputs = inputs;
        Units = units;
        GateBlocks = gates;
        ReturnSequences = returnSequences;
        Directions = bidirectional ? 2 : 1;
        BpttSteps = bpttSteps;
        HasCell = hasCell;
        HasAux = hasAux;
        int gh = gates * units;
        Weights = new Parameter("W", new Tensor(Directions, gh, inputs), isWeight: true);
        Recurrence = new Parameter("R", new Tensor(Directions, gh, units), isWeight: true);
        Bias = new Parameter("B", new Tensor(Directions, 2 * gh), isWeight: false);
        _parameters = [Weights, Recurrence, Bias];
        _output = new Tensor(1, Directions * units);
        _inputGradient = new Tensor(1, inputs);
        _initialStateGradient = new Tensor(Directions, 0, units);
        _initialCellGradient = new Tensor(Directions, 0, units);
        _finalState = new Tensor(Directions, 0, units);
        _finalCell = new Tensor(Directions, 0, units);
        _biasRow.Resize(gh);
        _rt = new float[units * gh];
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>W [dirs, G·H, in]: input weights, gate blocks in the ONNX order.</summary>
    public Parameter Weights { get; }

    /// <summary>R [dirs, G·H, H]: recurrent weights, gate blocks in the ONNX order.</summary>
    public Parameter Recurrence { get; }

    /// <summary>B [dirs, 2·G·H]: per direction the input biases Wb [G·H] then the recurrent biases Rb [G·H].</summary>
    public Parameter Bias { get; }

    /// <summary>The cell.</summary>
    public abstract RecurrentCell Cell { get; }

    /// <summary>Features per input step.</summary>
    public int Inputs { get; }

    /// <summary>Hidden units H per direction.</summary>
    public int Units { get; }

    /// <summary>Gate blocks G (RNN 1, GRU 3, LSTM 4).</summary>
    public int GateBlocks { get; }

    /// <summary>1, or 2 when bidirectional.</summary>
    public int Directions { get; }

    /// <summary>True: output every step [batch, T, dirs·H]; false: the last state [batch, dirs·H].</summary>
    public bool ReturnSequences { get; }

    /// <summary>
    /// Truncated back-propagation through time: 0 = full. With k &gt; 0, Backward runs only over the last k steps
    /// of each row in the direction's processing order — for a row of length L, forward-direction steps
    /// t = L−k … L−1 and backward-direction steps t = k−1 … 0. Outside that window the step's output gradient is
    /// ignored and ∂C/∂x, the gates' contribution to dW, dR, dB and <see cref="HiddenGradientNorms"/> are zero; the
    /// gradient reaching the state before the window (and so <see cref="InitialStateGradient"/>) is dropped.
    /// </summary>
    public int BpttSteps { get; }

    /// <summary>
    /// False skips ∂C/∂x in <see cref="Backward"/> (it returns an empty gradient): the network's first layer needs none.
    /// </summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <summary>
    /// The Embedding this layer is fed by, set by <see cref="Networks.Sequential"/>. When a Forward's input is that
    /// layer's output and the batch has at least twice as many tokens as the vocabulary, the input projection
    /// W·x + b of every step is a row of a per-token table E·Wᵀ + b [vocab, G·H] (one small GEMM instead of one
    /// over all batch·T rows), and Backward sums the gates' gradients per token, S [vocab, G·H], to get
    /// dW = Sᵀ·E and the Embedding's dE = S·W directly; ∂C/∂x is then not formed (the Embedding needs none).
    /// For the char-LSTM (vocabulary 65, 3,200 tokens a batch) that is a fifth of the multiply-adds of a step.
    /// </summary>
    internal EmbeddingLayer? Tokens { get; set; }

    /// <summary>True when the last Forward took its input projections from the per-token table (see <see cref="Tokens"/>).</summary>
    internal bool UsedTokenTable => _fusedTokens;

    /// <summary>
    /// h₀ [dirs, batch, H] (ONNX initial_h) for the next Forward calls, or null for zeros. For the backward
    /// direction it is the state before its first step (t = length − 1). Its batch must equal the input's.
    /// </summary>
    public Tensor? InitialState { get; set; }

    /// <summary>∂C/∂h₀ [dirs, batch, H] after <see cref="Backward"/> (computed whether or not <see cref="InitialState"/> is set).</summary>
    public Tensor InitialStateGradient => _initialStateGradient;

    /// <summary>
    /// ‖∂C/∂h_t‖ per time step t (time order, length T), after <see cref="Backward"/>: the Frobenius norm of the
    /// gradient of the cost with respect to the state h_t over the whole batch and both directions, i.e.
    /// √(Σ_rows Σ_dirs ‖∂C/∂h_t‖²). The losses average over the batch, so this is the gradient of the mean cost.
    /// Padded steps (t ≥ length) and steps outside the truncation window count zero. In a vanilla RNN it decays
    /// towards t = 0 (vanishing gradient); in an LSTM or GRU it survives.
    /// </summary>
    public IReadOnlyList<double> HiddenGradientNorms => _norms;

    /// <summary>
    /// h after each row's last step [dirs, batch, H] (ONNX Y_h), after <see cref="Forward"/>: for the forward direction
    /// the state at t = length − 1, for the backward direction the state after t = 0. Valid until the next Forward.
    /// </summary>
    public Tensor FinalState => _finalState;

    /// <summary>The per-row lengths in force (empty: every row full length).</summary>
    public ReadOnlySpan<int> Lengths => _lengths;

    private protected bool HasCell { get; }

    private protected bool HasAux { get; }

    /// <summary>c₀ for LSTM (null: zeros).</summary>
    private protected Tensor? InitialCell { get; set; }

    private protected Tensor InitialCellGradient => _initialCellGradient;

    /// <summary>c after each row's last step [dirs, batch, H] (LSTM; empty for cells without one).</summary>
    private protected Tensor FinalCell => _finalCell;

    /// <summary>
    /// Stateful inference, for running a sequence piece by piece (e.g. generating one token at a time): a Forward in
    /// inference mode that starts from the state the previous <see cref="ForwardStateful"/> call ended in (zeros after
    /// <see cref="ResetState"/>, at first, or when the batch size changes) and keeps its final state for the next call.
    /// Feeding a sequence in pieces gives the outputs of one Forward over the whole sequence. <see cref="InitialState"/>
    /// is not used (and left as it was). One direction only: a backward direction would need the future.
    /// </summary>
    /// <exception cref="InvalidOperationException">The layer is bidirectional.</exception>
    public Tensor ForwardStateful(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Directions != 1)
            throw new InvalidOperationException($"Layer '{Spec.Name}' ({Spec.Kind}) is bidirectional; stateful step-by-step inference needs one direction.");
        int batch = input.Rows;
        if (_carriedState is { } carried && carried.Dim(1) != batch) ResetState();
        var (savedState, savedCell) = (InitialState, InitialCell);
        InitialState = _carriedState;
        if (HasCell) InitialCell = _carriedCell;
        Tensor y;
        try { y = Forward(input, training: false); }
        finally { (InitialState, InitialCell) = (savedState, savedCell); }
        (_carriedState ??= new Tensor(1, batch, Units)).CopyFrom(_finalState);
        if (HasCell) (_carriedCell ??= new Tensor(1, batch, Units)).CopyFrom(_finalCell);
        return y;
    }

    /// <summary>Forgets the state <see cref="ForwardStateful"/> carries: the next call starts from zeros.</summary>
    public void ResetState()
    {
        _carriedState = null;
        _carriedCell = null;
    }

    /// <inheritdoc />
    public void SetLengths(ReadOnlySpan<int> lengths)
    {
        if (lengths.IsEmpty) { _lengths = null; return; }
        foreach (int l in lengths)
            if (l < 0)
                throw new ArgumentException($"Layer '{Spec.Name}' ({Spec.Kind}): a sequence length is {l}; lengths must be ≥ 0.", nameof(lengths));
        _lengths = lengths.ToArray();
    }

    /// <summary>
    /// Reads and completes the settings every recurrent kind shares, fills the spec's shapes and parameter list, and
    /// returns (in, H, returnSequences, bidirectional, bpttSteps).
    /// </summary>
    private protected static (int Inputs, int Units, bool ReturnSequences, bool Bidirectional, int Bptt) ReadSpec(
        LayerSpec spec, int[] inputShape, int gates)
    {
        int units = spec.GetInt("units");
        if (units <= 0) throw new ArgumentException($"Layer '{spec.Name}' ({spec.Kind}) needs units > 0; got {units}.");
        if (inputShape.Length != 2 || inputShape[0] <= 0 || inputShape[1] <= 0)
            throw new ArgumentException(
                $"Layer '{spec.Name}' ({spec.Kind}) needs a sequence input [T, features]; got [{string.Join(", ", inputShape)}]. " +
                "Put an Embedding or shape the feature column as [T, features].");
        if (!spec.Has("returnSequences")) spec.With("returnSequences", false);
        if (!spec.Has("bidirectional")) spec.With("bidirectional", false);
        if (!spec.Has("bpttSteps")) spec.With("bpttSteps", 0);
        if (!spec.Has("init")) spec.With("init", "GlorotUniform");
        if (!spec.Has("recurrentInit")) spec.With("recurrentInit", "Orthogonal");
        if (!spec.Has("biasInit")) spec.With("biasInit", "Zeros");
        bool returnSequences = spec.GetBool("returnSequences");
        bool bidirectional = spec.GetBool("bidirectional");
        int bptt = spec.GetInt("bpttSteps");
        if (bptt < 0) throw new ArgumentException($"Layer '{spec.Name}' ({spec.Kind}) needs bpttSteps ≥ 0 (0 = full); got {bptt}.");
        int steps = inputShape[0], inputs = inputShape[1], dirs = bidirectional ? 2 : 1;
        spec.InputShape = inputShape;
        spec.OutputShape = returnSequences ? [steps, dirs * units] : [dirs * units];
        spec.Parameters.Clear();
        spec.Parameters.Add(new ParameterSpec("W", [dirs, gates * units, inputs]));
        spec.Parameters.Add(new ParameterSpec("R", [dirs, gates * units, units]));
        spec.Parameters.Add(new ParameterSpec("B", [dirs, 2 * gates * units]));
        return (inputs, units, returnSequences, bidirectional, bptt);
    }

    /// <summary>Fills W, R and B from the spec's initialisers (W: fan-in in, fan-out G·H; R: H, G·H).</summary>
    private protected void Initialize(Rng rng)
    {
        int gh = GateBlocks * Units;
        InitializerFactory.Create(Spec.GetString("init")).Fill(Weights.Value, Inputs, gh, rng);
        InitializerFactory.Create(Spec.GetString("recurrentInit")).Fill(Recurrence.Value, Units, gh, rng);
        InitializerFactory.Create(Spec.GetString("biasInit")).Fill(Bias.Value, Units, gh, rng);
    }

    /// <summary>The bias row (length G·H) broadcast into the input projections, from one direction's Wb and Rb.</summary>
    private protected abstract void FillBiasRow(ReadOnlySpan<float> wb, ReadOnlySpan<float> rb, Span<float> row);

    /// <summary>
    /// One row of one step. g: [G·H] input projections plus bias (read, see <see cref="RowInput"/>); gates: [G·H] where
    /// the cell writes what backward needs (the activated gates: g's row itself, or the step's own row when g is a row
    /// of the token table or computed from x);
    /// rec: [G·H] = R·h₋; rb: [G·H] the recurrent bias; hPrev, h: [H]; cPrev, c, aux: [H] (when the cell has them).
    /// Element j of gates is written only after element j of g is read, so gates may be g.
    /// </summary>
    private protected abstract void ForwardRow(in RowInput g, float* gates, float* rec, float* rb, float* hPrev, float* h,
        float* cPrev, float* c, float* aux, int units);

    /// <summary>
    /// One row of one step backwards. dh: [H] on entry ∂C/∂h_s, on exit the part of ∂C/∂h_{s−1} that does not go
    /// through R; dc: [H] ∂C/∂c_s in, ∂C/∂c_{s−1} out (LSTM); dxg: [G·H] gradient of the input projections;
    /// drg: [G·H] gradient of R·h₋ + Rb (the same memory as dxg except for GRU).
    /// </summary>
    private protected abstract void BackwardRow(float* gates, float* hPrev, float* h, float* cPrev, float* aux,
        float* dh, float* dc, float* dxg, float* drg, int units);

    /// <summary>
    /// One row of one step of an inference Forward: what <see cref="ForwardRow"/> computes for h (and c), with the
    /// same arithmetic, but nothing that only Backward reads (the activated gates, aux) is written. Called only
    /// when <see cref="HasInferRow"/>.
    /// </summary>
    private protected virtual void InferRow(in RowInput g, float* rec, float* rb, float* hPrev, float* h, float* cPrev, float* c, int units) =>
        throw new NotSupportedException($"{GetType().Name} has no inference row kernel.");

    /// <summary>
    /// The input projections of one row of a step for <see cref="ForwardRow"/> and <see cref="InferRow"/>: read from a
    /// row g, or, for a few inputs (the adding problem's 2), b + W·x computed where the cell uses it, without writing
    /// a row and reading it back. The arithmetic is the packed micro-kernels' (acc = fma over the inputs in order from
    /// 0, then b + acc), the same for every row whichever thread holds it and on the vector and scalar paths.
    /// </summary>
    private protected readonly struct RowInput(float* g, float* x, float* wt, int inputs, int stride)
    {
        // g: the row, or the bias row when x is set; wt: Wᵀ [inputs, stride].
        private readonly float* _g = g, _x = x, _wt = wt;
        private readonly int _inputs = inputs, _stride = stride;

        public Vector512<float> Load(int col)
        {
            if (_x is null) return Vector512.Load(_g + col);
            var acc = Vector512<float>.Zero;
            for (int k = 0; k < _inputs; k++)
                acc = Vector512.FusedMultiplyAdd(Vector512.Create(_x[k]), Vector512.Load(_wt + (long)k * _stride + col), acc);
            return Vector512.Load(_g + col) + acc;
        }

        public float this[int col]
        {
            get
            {
                if (_x is null) return _g[col];
                float acc = 0;
                for (int k = 0; k < _inputs; k++) acc = MathF.FusedMultiplyAdd(_x[k], _wt[(long)k * _stride + col], acc);
                return _g[col] + acc;
            }
        }
    }

    /// <summary>True when the cell has an <see cref="InferRow"/> that writes less than <see cref="ForwardRow"/>.</summary>
    private protected virtual bool HasInferRow => false;

    /// <summary>True when the cell's ∂C/∂(R·h₋ + Rb) differs from ∂C/∂(W·x + Wb) (GRU), so it needs its own buffer.</summary>
    private protected virtual bool SeparateRecurrentGradient => false;

    /// <inheritdoc />
    // x: [batch, T, in] → y: [batch, T, dirs·H] (returnSequences) or [batch, dirs·H]; W: [dirs, GH, in], R: [dirs, GH, H]
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        int batch = input.Rows, steps = StepsOf(input);
        Allocate(batch, steps);
        var lengths = RowLengths(batch, steps);
        CheckState(InitialState, batch, "InitialState");
        if (HasCell) CheckState(InitialCell, batch, "InitialCellState");
        _input = input;
        var tokens = Tokens;
        _fusedTokens = tokens is not null && ReferenceEquals(input, tokens.Output) && tokens.Dimension == Inputs
            && tokens.Ids.Length == batch * steps && 2L * tokens.Vocabulary <= (long)batch * steps;
        if (_fusedTokens)
        {
            if (_tokenIds.Length != batch * steps) _tokenIds = new int[batch * steps];
            tokens!.Ids.CopyTo(_tokenIds);
        }
        _kept = training || !HasInferRow;
        if (!_kept)
        {
            // Kept for a Backward after this Forward, which runs it again (see RunKept): the states it started from.
            _leanState = Snapshot(InitialState, ref _leanStateCopy);
            _leanCell = HasCell ? Snapshot(InitialCell, ref _leanCellCopy) : null;
        }
        return RunDirections(input, batch, steps, lengths);
    }

    // An inference Forward writes only h and c (the gates were most of its stores: 13 MB a char-LSTM batch); the
    // learning-speed probe runs Backward after one, so Backward first runs that Forward again, keeping the gates,
    // from the same input, lengths, token ids and initial states. The outputs it writes again are the same bits.
    private void RunKept()
    {
        var (state, cell) = (InitialState, InitialCell);
        (InitialState, InitialCell) = (_leanState, _leanCell);
        _kept = true;
        try { RunDirections(_input!, _batch, _steps, _rowLengths); }
        finally { (InitialState, InitialCell) = (state, cell); }
    }

    private static Tensor? Snapshot(Tensor? state, ref Tensor? copy)
    {
        if (state is null) return null;
        if (copy is null || copy.Length != state.Length) copy = new Tensor(state.ShapeArray);
        copy.CopyFrom(state);
        return copy;
    }

    private Tensor RunDirections(Tensor input, int batch, int steps, int[] lengths)
    {
        int h = Units, gh = GateBlocks * Units, p = steps + 1, inputs = Inputs;
        if (ReturnSequences) _output.Resize(batch, steps, Directions * h);
        else _output.Resize(batch, Directions * h);
        var x = input.Span;
        var w = Weights.Value.Span;
        var bias = Bias.Value.Span;
        var tokens = Tokens;
        for (int d = 0; d < Directions; d++)
        {
            var wb = bias.Slice(d * 2 * gh, gh);
            var rb = bias.Slice(d * 2 * gh + gh, gh);
            FillBiasRow(wb, rb, _biasRow.Span);
            var wd = w.Slice(d * gh * inputs, gh * inputs);
            if (_fusedTokens)
            {
                ProjectTokens(tokens!, wd);
            }
            else
            {
                var xd = _x[d].AsSpan();
                for (int b = 0; b < batch; b++)
                {
                    int len = lengths[b];
                    var row = xd.Slice(b * p * inputs, p * inputs);
                    var src = x.Slice(b * steps * inputs, steps * inputs);
                    if (d == 0)
                    {
                        // Processing order is time order: one copy for the row (a copy per step was most of the
                        // forward's memmove time with 2 inputs a step).
                        src[..(len * inputs)].CopyTo(row);
                    }
                    else
                    {
                        for (int s = 0; s < len; s++)
                        {
                            int from = (len - 1 - s) * inputs, to = s * inputs;
                            for (int k = 0; k < inputs; k++) row[to + k] = src[from + k];
                        }
                    }
                    row[(len * inputs)..].Clear();
                }
                if (inputs < NarrowInputs)
                {
                    // A few inputs a step (the adding problem's 2): the time loop projects each row just before its
                    // gates, from Wᵀ [in, G·H], instead of a product over all steps writing and re-reading G.
                    var wt = _wt.Resize(inputs * gh).Span;
                    for (int i = 0; i < gh; i++)
                        for (int k = 0; k < inputs; k++) wt[k * gh + i] = wd[i * inputs + k];
                }
                else
                {
                    RowKernels.Broadcast(_biasRow.Span, _g[d], batch * p);
                    Gemm.Multiply(Transpose.No, Transpose.Yes, batch * p, gh, inputs, 1f, xd, inputs, wd, inputs, 1f, _g[d], gh);
                }
            }
            var hs = _h[d].AsSpan();
            for (int b = 0; b < batch; b++)
            {
                var h0 = hs.Slice(b * p * h, h);
                if (InitialState is { } init) init.Span.Slice((d * batch + b) * h, h).CopyTo(h0);
                else h0.Clear();
                if (!HasCell) continue;
                var c0 = _c[d].AsSpan(b * p * h, h);
                if (InitialCell is { } cinit) cinit.Span.Slice((d * batch + b) * h, h).CopyTo(c0);
                else c0.Clear();
            }
            RunTimeLoop(backward: false, d, batch, steps, lengths, null);
        }
        WriteFinalStates(batch, steps);
        return _output;
    }

    // The per-token table of direction d, T = E·W_dᵀ + b [vocab, G·H]: the time loop reads row id of a step's
    // token as its input projection (ForwardRow's g), so no [batch, T+1, G·H] projections are written.
    private void ProjectTokens(EmbeddingLayer tokens, ReadOnlySpan<float> wd)
    {
        int gh = GateBlocks * Units, vocab = tokens.Vocabulary, dim = Inputs;
        var table = _table.Resize(vocab * gh).Span;
        RowKernels.Broadcast(_biasRow.Span, table, vocab);
        Gemm.Multiply(Transpose.No, Transpose.Yes, vocab, gh, dim, 1f, tokens.Weights.Value.Span, dim, wd, dim, 1f, table, gh);
    }

    // The time loop of direction d over the rows of the batch, split into parts of rows on the engine's threads: a
    // row's state depends only on its own past, so the parts share nothing but the read-only weights.
    private void RunTimeLoop(bool backward, int d, int batch, int steps, int[] lengths, Tensor? outputGradient)
    {
        (_partBackward, _partDirection, _partBatch, _partSteps, _partLengths, _partOutputGradient) = (backward, d, batch, steps, lengths, outputGradient);
        long work = (long)batch * steps * GateBlocks * Units * Units;
        int parts = Kernels.SampleParallel.Parts(batch / MinRowsPerPart, work);
        _partPacked = PackStepOperand(backward, d, (batch + parts - 1) / parts);
        Kernels.SampleParallel.Run(this, parts);
        _partOutputGradient = null;
    }

    // Packs the per-step product's B once for the whole time loop when the packed micro-kernels pay: always off
    // AVX-512 (the only path there), and on AVX-512 once a part has a tile of rows and B is more than a few
    // panels (LSTM H 128 at 16 rows a part: 8,700 against 5,200 seq/s with the no-pack tiles, which re-read B
    // unpacked for 6-row tiles). One row at a time (generation) keeps the no-pack path: packing would cost more
    // than the step. Parts hold at least 8 rows whenever there are several, so the choice, and the bits, do not
    // depend on the thread count.
    private GemmPackedB? PackStepOperand(bool backward, int d, int rows)
    {
        int h = Units, gh = GateBlocks * Units;
        int n = backward ? h : gh, k = backward ? gh : h;
        var isa = Gemm.ActiveIsa;
        if (isa == GemmIsa.Avx512 && (rows < 8 || k < 32 || n < 64))
        {
            // Rᵀ [H, G·H] makes the no-pack path's step product an outer-product GEMM with contiguous rows of B.
            if (!backward)
            {
                var rd = Recurrence.Value.Span.Slice(d * gh * h, gh * h);
                for (int i = 0; i < gh; i++)
                    for (int j = 0; j < h; j++) _rt[j * gh + i] = rd[i * h + j];
            }
            return null;
        }
        if (backward)
        {
            fixed (float* pr = Recurrence.Value.Span.Slice(d * gh * h, gh * h)) _packedB.Pack(isa, Transpose.No, pr, h, k, n);
        }
        else
        {
            // op(B) = Rᵀ [H, G·H], packed straight from R [G·H, H] (the packer transposes as it copies).
            fixed (float* pr = Recurrence.Value.Span.Slice(d * gh * h, gh * h)) _packedB.Pack(isa, Transpose.Yes, pr, h, k, n);
        }
        return _packedB;
    }

    // One step's product C = A·B (+ C when accumulate) for rows of A, with B packed beforehand when that pays.
    private void StepProduct(int rows, float* a, int lda, float* b, int ldb, int n, int k, bool accumulate, float* c, int ldc)
    {
        float beta = accumulate ? 1f : 0f;
        if (_partPacked is { } packed) Gemm.MultiplyPrepacked(Transpose.No, rows, 1f, a, lda, packed, beta, c, ldc);
        else Gemm.Multiply(Transpose.No, Transpose.No, rows, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
    }

    // Below this many rows per part the per-step GEMM gets too short to keep its tiles busy.
    private const int MinRowsPerPart = 8;

    void Kernels.IPartitionedWork.RunPart(int part, int parts)
    {
        int lo = (int)((long)_partBatch * part / parts), hi = (int)((long)_partBatch * (part + 1) / parts);
        if (lo == hi) return;
        int gh = GateBlocks * Units;
        if (!_partBackward)
            RunForward(_partDirection, lo, hi, _partSteps, _partLengths, Bias.Value.Span.Slice(_partDirection * 2 * gh + gh, gh));
        else
            RunBackward(_partDirection, lo, hi, _partSteps, _partLengths, _partOutputGradient!.Span);
    }

    private void RunForward(int d, int lo, int hi, int steps, int[] lengths, ReadOnlySpan<float> rb)
    {
        int h = Units, gh = GateBlocks * Units, p = steps + 1;
        float[] cArr = HasCell ? _c[d] : _h[d], auxArr = HasAux ? _aux[d] : _h[d];
        fixed (float* pg = _g[d])
        fixed (float* ph = _h[d])
        fixed (float* pc = cArr)
        fixed (float* pa = auxArr)
        fixed (float* prt = _rt)
        fixed (float* prb = rb)
        fixed (float* px = _x[d])
        fixed (float* py = _output.Span)
        {
            float* prec = _rec.Pointer, pt = _table.Pointer, pwt = _wt.Pointer, pbias = _biasRow.Pointer;
            float* ptab = _fusedTokens ? pt : null;
            // With ReturnSequences each step's h goes to its output row while it is in cache (zeros past the length).
            float* pout = ReturnSequences ? py + (long)d * h : null;
            int width = Directions * h;
            bool project = !_fusedTokens && Inputs < NarrowInputs, zeroStart = InitialState is null;
            for (int s = 0; s < steps; s++)
            {
                // From zeros (no initial state) the first step's R·h₀ is zero: no product.
                if (s == 0 && zeroStart) new Span<float>(prec + (long)lo * gh, (hi - lo) * gh).Clear();
                else StepProduct(hi - lo, ph + ((long)lo * p + s) * h, p * h, prt, gh, gh, h, accumulate: false, prec + (long)lo * gh, gh);
                for (int b = lo; b < hi; b++)
                {
                    long row = (long)b * p + s;
                    float* hPrev = ph + row * h;
                    if (s < lengths[b])
                    {
                        float* gIn = ptab is null ? pg + row * gh : ptab + (long)_tokenIds[b * steps + TimeOf(d, s, lengths[b])] * gh;
                        // A few inputs: b + W·x where the cell uses it (no row written and read back).
                        var input = project ? new RowInput(pbias, px + row * Inputs, pwt, Inputs, gh) : new RowInput(gIn, null, null, 0, 0);
                        if (!_kept)
                            InferRow(input, prec + (long)b * gh, prb, hPrev, hPrev + h, HasCell ? pc + row * h : null, HasCell ? pc + row * h + h : null, h);
                        else
                            ForwardRow(input, pg + row * gh, prec + (long)b * gh, prb, hPrev, hPrev + h,
                                HasCell ? pc + row * h : null, HasCell ? pc + row * h + h : null, HasAux ? pa + row * h : null, h);
                        if (pout is not null)
                            new Span<float>(hPrev + h, h).CopyTo(new Span<float>(pout + ((long)b * steps + TimeOf(d, s, lengths[b])) * width, h));
                    }
                    else
                    {
                        // Past the row's length the state is frozen, so slot T holds h (and c) at t = length − 1.
                        new Span<float>(hPrev, h).CopyTo(new Span<float>(hPrev + h, h));
                        if (HasCell) new Span<float>(pc + row * h, h).CopyTo(new Span<float>(pc + row * h + h, h));
                        if (pout is not null) new Span<float>(pout + ((long)b * steps + s) * width, h).Clear();
                    }
                }
            }
        }
    }

    // The final states, and the output when it is the last state (the time loop wrote every step's output itself).
    private void WriteFinalStates(int batch, int steps)
    {
        int h = Units, p = steps + 1, width = Directions * h;
        if (_finalState.Dim(1) != batch) _finalState.Resize(Directions, batch, h);
        if (HasCell && _finalCell.Dim(1) != batch) _finalCell.Resize(Directions, batch, h);
        var y = _output.Span;
        for (int d = 0; d < Directions; d++)
        {
            var hs = _h[d].AsSpan();
            for (int b = 0; b < batch; b++)
            {
                // Slot T holds the state after the row's last step (frozen there past its length).
                hs.Slice((b * p + steps) * h, h).CopyTo(_finalState.Span.Slice((d * batch + b) * h, h));
                if (HasCell) _c[d].AsSpan((b * p + steps) * h, h).CopyTo(_finalCell.Span.Slice((d * batch + b) * h, h));
                if (!ReturnSequences) hs.Slice((b * p + steps) * h, h).CopyTo(y.Slice(b * width + d * h, h));
            }
        }
    }

    /// <inheritdoc />
    // dy: [batch, T, dirs·H] or [batch, dirs·H] → dx: [batch, T, in]; dW = Σ dGᵀ·x, dR = Σ dGᵀ·h₋, dB = Σ dG
    public Tensor Backward(Tensor outputGradient)
    {
        var x = LayerChecks.Forwarded(Spec, _input);
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (!_kept) RunKept();
        int batch = _batch, steps = _steps, h = Units, gh = GateBlocks * Units, p = steps + 1, width = Directions * h;
        LayerChecks.Gradient(Spec, outputGradient, batch, ReturnSequences ? steps * width : width);
        AllocateBackward(batch, steps);
        var lengths = _rowLengths;
        var dy = outputGradient.Span;
        if (_norms.Length != steps) _norms = new double[steps];
        if (_rowNorms.Length != batch * steps) _rowNorms = new double[batch * steps];
        else Array.Clear(_rowNorms);
        _initialStateGradient.Resize(Directions, batch, h);
        _initialCellGradient.Resize(Directions, HasCell ? batch : 0, h);
        bool inputGradient = ComputeInputGradient && !_fusedTokens;
        if (inputGradient) LayerChecks.EnsureRows(_inputGradient, x, batch);
        else _inputGradient.ResizeRows(0);
        var dx = _inputGradient.Span;
        if (inputGradient) dx.Clear();
        var w = Weights.Value.Span;
        for (int d = 0; d < Directions; d++)
        {
            var dh = _dh.AsSpan(0, batch * h);
            for (int b = 0; b < batch; b++)
            {
                var row = dh.Slice(b * h, h);
                if (ReturnSequences) row.Clear();
                else dy.Slice(b * width + d * h, h).CopyTo(row);
            }
            if (HasCell) _dc.AsSpan(0, batch * h).Clear();
            RunTimeLoop(backward: true, d, batch, steps, lengths, outputGradient);
            if (BpttLowest(batch, steps, lengths) > 0)
            {
                // Every row was cut at or above the lowest window start: what reached the state before it is dropped.
                _dh.AsSpan(0, batch * h).Clear();
                if (HasCell) _dc.AsSpan(0, batch * h).Clear();
            }
            dh.CopyTo(_initialStateGradient.Span.Slice(d * batch * h, batch * h));
            if (HasCell) _dc.AsSpan(0, batch * h).CopyTo(_initialCellGradient.Span.Slice(d * batch * h, batch * h));

            // All steps at once: dW_d = dXGᵀ·x (per token, per row for a few inputs, or one product), dR_d = dRGᵀ·h₋,
            // dWb = Σ dXG, dRb = Σ dRG (slot T rows are zero).
            int rows = batch * p;
            var dw = Weights.Gradient.Span.Slice(d * gh * Inputs, gh * Inputs);
            if (_fusedTokens)
            {
                TokenGradients(d, batch, steps, lengths, dw, w.Slice(d * gh * Inputs, gh * Inputs));
            }
            else if (NarrowWeightGradient)
            {
                // A few inputs (the adding problem's 2): each row summed its steps' x ⊗ dXG in the time loop, while
                // dXG was in cache (a product over all rows afterwards re-read all of dXG for 2 multiply-adds an
                // element). dWᵀ = Σ_rows in row order, so the bits do not depend on the thread count; then transposed.
                if (_dwt.Length < gh * Inputs) _dwt = new float[gh * Inputs];
                var sum = _dwt.AsSpan(0, gh * Inputs);
                _dwRows.AsSpan(0, gh * Inputs).CopyTo(sum);
                for (int b = 1; b < batch; b++)
                    System.Numerics.Tensors.TensorPrimitives.Add(sum, _dwRows.AsSpan(b * gh * Inputs, gh * Inputs), sum);
                for (int i = 0; i < gh; i++)
                    for (int j = 0; j < Inputs; j++) dw[i * Inputs + j] = _dwt[j * gh + i];
            }
            else
            {
                Gemm.Multiply(Transpose.Yes, Transpose.No, gh, Inputs, rows, 1f, _dxg[d], gh, _x[d], Inputs, 0f, dw, Inputs);
            }
            Gemm.Multiply(Transpose.Yes, Transpose.No, gh, h, rows, 1f, _drg[d], gh, _h[d], h,
                0f, Recurrence.Gradient.Span.Slice(d * gh * h, gh * h), h);
            var db = Bias.Gradient.Span.Slice(d * 2 * gh, 2 * gh);
            RowKernels.SumRows(_dxg[d], db[..gh], rows);
            // Without a separate recurrent gradient (RNN, LSTM) ∂C/∂Rb is ∂C/∂Wb.
            if (SeparateRecurrentGradient) RowKernels.SumRows(_drg[d], db[gh..], rows);
            else db[..gh].CopyTo(db[gh..]);
            if (!inputGradient) continue;
            Gemm.Multiply(Transpose.No, Transpose.No, rows, Inputs, gh, 1f, _dxg[d], gh,
                w.Slice(d * gh * Inputs, gh * Inputs), Inputs, 0f, _dxp, Inputs);
            for (int b = 0; b < batch; b++)
            {
                int len = lengths[b];
                for (int s = 0; s < len; s++)
                {
                    var src = _dxp.AsSpan((b * p + s) * Inputs, Inputs);
                    var dst = dx.Slice((b * steps + TimeOf(d, s, len)) * Inputs, Inputs);
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
                }
            }
        }
        if (_fusedTokens)
        {
            // The padding id's row gets no gradient (the Embedding's rule), and the Embedding keeps what was written.
            if (Tokens!.PaddingIndex >= 0) Tokens.Weights.Gradient.Row(Tokens.PaddingIndex).Clear();
            Tokens.GradientWritten = true;
        }
        for (int t = 0; t < steps; t++)
        {
            double sum = 0;
            for (int b = 0; b < batch; b++) sum += _rowNorms[b * steps + t];
            _norms[t] = Math.Sqrt(sum);
        }
        return _inputGradient;
    }

    // Fed by the Embedding: S[id] = Σ over the steps holding id of the gates' input gradient, then dW_d = Sᵀ·E and
    // the Embedding's dE (+)= S·W_d (the directions add up). The sums run in row and step order, so the bits do
    // not depend on the thread count; padded and truncated steps hold zeros.
    private void TokenGradients(int d, int batch, int steps, int[] lengths, Span<float> dw, ReadOnlySpan<float> wd)
    {
        var tokens = Tokens!;
        int gh = GateBlocks * Units, p = steps + 1, vocab = tokens.Vocabulary, dim = Inputs;
        if (_tokenSums.Length < vocab * gh) _tokenSums = new float[vocab * gh];
        var sums = _tokenSums.AsSpan(0, vocab * gh);
        sums.Clear();
        var dxg = _dxg[d].AsSpan();
        for (int b = 0; b < batch; b++)
        {
            int len = lengths[b];
            for (int s = 0; s < len; s++)
            {
                var row = sums.Slice(_tokenIds[b * steps + TimeOf(d, s, len)] * gh, gh);
                System.Numerics.Tensors.TensorPrimitives.Add(row, dxg.Slice((b * p + s) * gh, gh), row);
            }
        }
        Gemm.Multiply(Transpose.Yes, Transpose.No, gh, dim, vocab, 1f, sums, gh, tokens.Weights.Value.Span, dim, 0f, dw, dim);
        Gemm.Multiply(Transpose.No, Transpose.No, vocab, dim, gh, 1f, sums, gh, wd, dim, d == 0 ? 0f : 1f,
            tokens.Weights.Gradient.Span, dim);
    }

    // Below NarrowInputs inputs (and not fed by the token table) dW is summed per row in the backward time loop.
    private bool NarrowWeightGradient => Inputs < NarrowInputs && !_fusedTokens;

    // acc[k, 0 .. n) += x[k]·g[0 .. n) for k < inputs: one row's step of dWᵀ.
    private static void AccumulateOuter(float* x, float* g, float* acc, int inputs, int n)
    {
        for (int k = 0; k < inputs; k++)
        {
            float* a = acc + (long)k * n;
            int j = 0;
            if (GateMath.Vector)
            {
                var xv = Vector512.Create(x[k]);
                for (; j <= n - 16; j += 16)
                    Vector512.FusedMultiplyAdd(xv, Vector512.Load(g + j), Vector512.Load(a + j)).Store(a + j);
            }
            for (; j < n; j++) a[j] = MathF.FusedMultiplyAdd(x[k], g[j], a[j]);
        }
    }

    // The lowest step any row's truncation window reaches; below it every row is cut and only zeros are written.
    private int BpttLowest(int batch, int steps, int[] lengths)
    {
        int lowest = steps;
        for (int b = 0; b < batch; b++) lowest = Math.Min(lowest, WindowStart(lengths[b], BpttSteps));
        return lowest;
    }

    private void RunBackward(int d, int lo, int hi, int steps, int[] lengths, ReadOnlySpan<float> dy)
    {
        int h = Units, gh = GateBlocks * Units, p = steps + 1, width = Directions * h, k = BpttSteps;
        int lowest = BpttLowest(_partBatch, steps, lengths);
        var dxgAll = _dxg[d].AsSpan();
        var drgAll = _drg[d].AsSpan();
        for (int b = lo; b < hi; b++)
        {
            dxgAll.Slice(b * p * gh, lowest * gh).Clear();
            if (SeparateRecurrentGradient) drgAll.Slice(b * p * gh, lowest * gh).Clear();
        }
        float[] cArr = HasCell ? _c[d] : _h[d], auxArr = HasAux ? _aux[d] : _h[d];
        var r = Recurrence.Value.Span.Slice(d * gh * h, gh * h);
        // A few inputs: each row sums its own x_s ⊗ dXG_s over the steps while dXG_s is in cache (see Backward).
        bool narrow = NarrowWeightGradient;
        int inputs = Inputs;
        if (narrow) _dwRows.AsSpan(lo * inputs * gh, (hi - lo) * inputs * gh).Clear();
        fixed (float* pdwRows = _dwRows)
        fixed (float* px = _x[d])
        fixed (float* pg = _g[d])
        fixed (float* ph = _h[d])
        fixed (float* pc = cArr)
        fixed (float* pa = auxArr)
        fixed (float* pdxg = _dxg[d])
        fixed (float* pdrg = _drg[d])
        fixed (float* pdh = _dh)
        fixed (float* pdc = _dc)
        fixed (float* pr = r)
        fixed (float* pdy = dy)
        {
            for (int s = steps - 1; s >= lowest; s--)
            {
                for (int b = lo; b < hi; b++)
                {
                    int len = lengths[b];
                    long row = (long)b * p + s;
                    float* dxg = pdxg + row * gh, drg = pdrg + row * gh, dh = pdh + (long)b * h;
                    if (s >= len)
                    {
                        // Padded step: the frozen state passes its gradient straight through.
                        new Span<float>(dxg, gh).Clear();
                        if (SeparateRecurrentGradient) new Span<float>(drg, gh).Clear();
                        continue;
                    }
                    if (s < WindowStart(len, k))
                    {
                        new Span<float>(dxg, gh).Clear();
                        if (SeparateRecurrentGradient) new Span<float>(drg, gh).Clear();
                        new Span<float>(dh, h).Clear();
                        if (HasCell) new Span<float>(pdc + (long)b * h, h).Clear();
                        continue;
                    }
                    var dhs = new Span<float>(dh, h);
                    int t = TimeOf(d, s, len);
                    if (ReturnSequences)
                    {
                        var g = new ReadOnlySpan<float>(pdy + ((long)b * steps + t) * width + d * h, h);
                        System.Numerics.Tensors.TensorPrimitives.Add(dhs, g, dhs);
                    }
                    _rowNorms[b * steps + t] += System.Numerics.Tensors.TensorPrimitives.SumOfSquares(dhs);
                    float* hPrev = ph + row * h;
                    BackwardRow(pg + row * gh, hPrev, hPrev + h, HasCell ? pc + row * h : null, HasAux ? pa + row * h : null,
                        dh, HasCell ? pdc + (long)b * h : null, dxg, drg, h);
                    if (narrow) AccumulateOuter(px + row * inputs, dxg, pdwRows + (long)b * inputs * gh, inputs, gh);
                }
                StepProduct(hi - lo, pdrg + ((long)lo * p + s) * gh, p * gh, pr, h, h, gh, accumulate: true, pdh + (long)lo * h, h);
            }
        }
    }

    /// <summary>First step of a row's truncation window, in processing order.</summary>
    private static int WindowStart(int length, int bpttSteps) => bpttSteps > 0 ? Math.Max(0, length - bpttSteps) : 0;

    /// <summary>The time index of processing step s of direction d for a row of the given length (s &lt; length).</summary>
    private static int TimeOf(int d, int s, int length) => d == 0 ? s : length - 1 - s;

    private int StepsOf(Tensor input)
    {
        if (input.Rank == 3 && input.Dim(2) == Inputs && input.Dim(1) > 0) return input.Dim(1);
        int specSteps = Spec.InputShape[0];
        if (input.Rank == 2 && input.RowSize == specSteps * Inputs) return specSteps;
        throw new ArgumentException(
            $"Layer '{Spec.Name}' ({Spec.Kind}) expects input [batch, T, {Inputs}] (T ≥ 1) or [batch, {specSteps * Inputs}] " +
            $"but got {input.ShapeString}. Check the sequence column's shape.");
    }

    private int[] RowLengths(int batch, int steps)
    {
        if (_rowLengths.Length != batch) _rowLengths = new int[batch];
        if (_lengths is null)
        {
            Array.Fill(_rowLengths, steps);
            return _rowLengths;
        }
        if (_lengths.Length != batch)
            throw new ArgumentException(
                $"Layer '{Spec.Name}' ({Spec.Kind}) has {_lengths.Length} sequence lengths but the batch has {batch} rows. " +
                "Set the lengths of each batch before its Forward, or clear them with an empty span.");
        for (int b = 0; b < batch; b++)
        {
            if (_lengths[b] > steps)
                throw new ArgumentException(
                    $"Layer '{Spec.Name}' ({Spec.Kind}): row {b} has length {_lengths[b]} but the batch has only {steps} steps.");
            _rowLengths[b] = _lengths[b];
        }
        return _rowLengths;
    }

    private void CheckState(Tensor? state, int batch, string name)
    {
        if (state is null) return;
        if (state.Rank != 3 || state.Dim(0) != Directions || state.Dim(1) != batch || state.Dim(2) != Units)
            throw new ArgumentException(
                $"Layer '{Spec.Name}' ({Spec.Kind}): {name} is {state.ShapeString} but the batch needs [{Directions}, {batch}, {Units}] " +
                "([directions, batch, hidden], as ONNX). Set it for each batch size or set it to null for zeros.");
    }

    private void Allocate(int batch, int steps)
    {
        if (batch == _batch && steps == _steps) return;
        int p = steps + 1, gh = GateBlocks * Units, n = batch * p;
        _x = NewPerDirection(n * Inputs);
        _g = NewPerDirection(n * gh);
        _h = NewPerDirection(n * Units);
        _c = HasCell ? NewPerDirection(n * Units) : [];
        _aux = HasAux ? NewPerDirection(n * Units) : [];
        _rec.Resize(batch * gh);
        _batch = batch;
        _steps = steps;
        _backwardReady = false;
    }

    private void AllocateBackward(int batch, int steps)
    {
        if (_backwardReady) return;
        int p = steps + 1, gh = GateBlocks * Units, n = batch * p;
        // Fresh arrays are zero, and slot T of every row is never written, as the all-step GEMMs need.
        _dxg = NewPerDirection(n * gh);
        _drg = SeparateRecurrentGradient ? NewPerDirection(n * gh) : _dxg;
        _dh = new float[batch * Units];
        _dc = new float[batch * Units];
        _dxp = new float[n * Inputs];
        _dwRows = Inputs < NarrowInputs ? new float[batch * Inputs * gh] : [];
        _backwardReady = true;
    }

    private float[][] NewPerDirection(int length)
    {
        var a = new float[Directions][];
        for (int d = 0; d < a.Length; d++) a[d] = new float[length];
        return a;
    }
}

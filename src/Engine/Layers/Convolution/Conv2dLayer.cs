using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using DlBook.Engine.Initializers;
using DlBook.Engine.Kernels;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Layers;

/// <summary>
/// 2-D convolution (cross-correlation, as PyTorch, Keras and ONNX Conv) over NCHW samples with W [F, C, kh, kw] and
/// b [F], the ONNX Conv layout. Forward is an implicit GEMM: each sample's patch matrix (im2col) is packed panel by
/// panel straight into the GEMM's micro-panels and multiplied by W (a 1×1 stride-1 unpadded kernel multiplies the
/// input itself); samples, and with fewer samples than threads their output positions, are split across the GEMM's
/// threads. Backward unrolls each sample into its patch matrix again (keeping one per sample would take 190 MB for
/// the book's 150×150 net at batch 32) and uses the ordinary GEMM; it accumulates dW per fixed chunk of the batch
/// and adds the chunks in order, so the bits do not depend on the thread count.
/// Settings: filters; kernel ("3" or "3,3"); stride (1); padding ("valid" (default), "same" = Keras/ONNX SAME_UPPER,
/// or integers "p", "ph,pw", "top,left,bottom,right"); dilation (1); bias (true); init (GlorotUniform with
/// fan-in C·kh·kw and fan-out F·kh·kw, Keras's default); biasInit (Zeros). Written back: "pads" =
/// "top,left,bottom,right", and kernel, stride and dilation as pairs.
/// </summary>
public sealed unsafe class Conv2dLayer : ILayer, IPartitionedWork
{
    // dW is summed per chunk of the batch, then the chunks in order: a fixed split, whatever the thread count.
    private const int MaxChunks = 8;

    private readonly ConvGeometry _g;
    private readonly Parameter[] _parameters;
    private readonly Tensor _output;
    private readonly Tensor _inputGradient;
    private readonly int _inSize, _outSize, _patch, _plane;
    private float[][] _cols = [];
    private float[][] _dwChunks = [];
    private float[] _dwSum = [];
    private float[][] _dbChunks = [];
    private Tensor? _input;
    // State of the parallel pass in progress, read by RunPart on every thread.
    // Forward splits a sample's output positions into chunks of this many (a multiple of 32) when there are fewer
    // samples than threads, and never into chunks under ColumnChunkMin.
    private const int ColumnChunkMin = 256;
    private bool _backward;
    private int _batch, _chunks, _columnChunks = 1, _chunkWidth;
    private float[] _x = [], _y = [], _w = [], _b = [], _dy = [], _dx = [];

    private Conv2dLayer(LayerSpec spec, ConvGeometry g, bool bias)
    {
        Spec = spec;
        _g = g;
        _inSize = g.InputSize;
        _outSize = g.OutputSize;
        _patch = g.PatchSize;
        _plane = g.OutPlane;
        Weights = new Parameter("W", new Tensor(g.Filters, g.Channels, g.KernelHeight, g.KernelWidth), isWeight: true);
        Bias = bias ? new Parameter("b", new Tensor(g.Filters), isWeight: false) : null;
        _parameters = Bias is null ? [Weights] : [Weights, Bias];
        _output = LayerChecks.Buffer(spec.OutputShape);
        _inputGradient = LayerChecks.Buffer(spec.InputShape);
    }

    /// <inheritdoc />
    public LayerSpec Spec { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>W [F, C, kh, kw].</summary>
    public Parameter Weights { get; }

    /// <summary>b [F], or null when the "bias" setting is false.</summary>
    public Parameter? Bias { get; }

    /// <summary>The resolved sizes: input, kernel, strides, dilations, pads and output.</summary>
    public ConvGeometry Geometry => _g;

    /// <summary>
    /// False skips ∂C/∂x in <see cref="Backward"/> (it returns an empty gradient). The network's first layer needs
    /// none, and for an image input that saves the col2im pass and a GEMM as large as the forward one.
    /// </summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <summary>Builds a Conv2d layer from its spec (see <see cref="LayerFactory.Build"/>).</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range, or the input is not [C, H, W]; the message names the layer and the setting.</exception>
    public static Conv2dLayer Create(LayerSpec spec, int[] inputShape, Rng? rng)
    {
        if (!spec.Has("filters")) throw new ArgumentException($"Layer '{spec.Name}' (Conv2d) needs the setting 'filters' (output channels).");
        int filters = spec.GetInt("filters");
        if (filters <= 0) throw new ArgumentException($"Layer '{spec.Name}' (Conv2d): setting 'filters' must be > 0; got {filters}.");
        var g = ConvSettings.Window(spec, inputShape, filters, "kernel", strideDefaultsToWindow: false, dilated: true);
        if (!spec.Has("bias")) spec.With("bias", true);
        bool bias = spec.GetBool("bias");
        if (!spec.Has("init")) spec.With("init", "GlorotUniform");
        if (!spec.Has("biasInit")) spec.With("biasInit", "Zeros");
        IInitializer weightInit, biasInit;
        try
        {
            weightInit = InitializerFactory.Create(spec.GetString("init"));
            biasInit = InitializerFactory.Create(spec.GetString("biasInit"));
        }
        catch (ArgumentException e) { throw new ArgumentException($"Layer '{spec.Name}' (Conv2d): {e.Message}", e); }
        spec.InputShape = inputShape;
        spec.OutputShape = [filters, g.OutHeight, g.OutWidth];
        spec.Parameters.Clear();
        spec.Parameters.Add(new ParameterSpec("W", [filters, g.Channels, g.KernelHeight, g.KernelWidth]));
        if (bias) spec.Parameters.Add(new ParameterSpec("b", [filters]));
        var layer = new Conv2dLayer(spec, g, bias);
        if (rng is not null)
        {
            int area = g.KernelHeight * g.KernelWidth;
            weightInit.Fill(layer.Weights.Value, g.Channels * area, filters * area, rng);
            if (layer.Bias is not null) biasInit.Fill(layer.Bias.Value, g.Channels * area, filters * area, rng);
        }
        return layer;
    }

    /// <inheritdoc />
    // x: [batch, C, H, W] → y: [batch, F, OH, OW]; W: [F, C, kh, kw], b: [F]; per sample y = W·im2col(x) + b
    public Tensor Forward(Tensor input, bool training)
    {
        ConvSettings.CheckBatch(Spec, input, _g.Channels, _g.Height, _g.Width);
        int batch = input.Rows;
        _input = input;
        _output.ResizeRows(batch);
        _backward = false;
        _batch = batch;
        _x = input.Data;
        _y = _output.Data;
        _w = Weights.Value.Data;
        _b = Bias?.Value.Data ?? [];
        // Tasks are (sample, column chunk): with fewer samples than threads each sample's output positions are
        // split too, so one image still uses every core. A column's arithmetic is the same in any chunk.
        int threads = SampleParallel.Parts(batch * Math.Max(1, _plane / ColumnChunkMin), (long)batch * _g.Filters * _patch * _plane);
        int chunks = batch >= threads ? 1 : (threads + batch - 1) / batch;
        _chunkWidth = ((_plane + chunks - 1) / chunks + 31) / 32 * 32;
        _columnChunks = (_plane + _chunkWidth - 1) / _chunkWidth;
        SampleParallel.Run(this, Math.Min(threads, batch * _columnChunks));
        return _output;
    }

    /// <inheritdoc />
    // dy: [batch, F, OH, OW] → dx: [batch, C, H, W]; dW = Σ_n dy_n·im2col(x_n)ᵀ [F, C·kh·kw], db = Σ dy [F]
    public Tensor Backward(Tensor outputGradient)
    {
        var x = LayerChecks.Forwarded(Spec, _input);
        int batch = x.Rows;
        LayerChecks.Gradient(Spec, outputGradient, batch, _outSize);
        if (ComputeInputGradient) LayerChecks.EnsureRows(_inputGradient, x, batch);
        else _inputGradient.ResizeRows(0);
        _backward = true;
        _batch = batch;
        _chunks = Math.Max(1, Math.Min(MaxChunks, batch));
        _x = x.Data;
        _w = Weights.Value.Data;
        _dy = outputGradient.Data;
        _dx = _inputGradient.Data;
        EnsureChunks(_chunks);
        long work = (long)batch * _g.Filters * _patch * _plane * (ComputeInputGradient ? 2 : 1);
        int parts = SampleParallel.Parts(_chunks, work);
        EnsureCols(parts);
        SampleParallel.Run(this, parts);

        // The chunks hold dWᵀ [C·kh·kw, F] (see BackwardChunk): summed in chunk order, then transposed into dW.
        var dw = Weights.Gradient.Span;
        int f = _g.Filters;
        if (_dwSum.Length < dw.Length) _dwSum = new float[dw.Length];
        var sum = _dwSum.AsSpan(0, dw.Length);
        _dwChunks[0].AsSpan(0, dw.Length).CopyTo(sum);
        for (int q = 1; q < _chunks; q++) TensorPrimitives.Add(sum, _dwChunks[q].AsSpan(0, dw.Length), sum);
        for (int i = 0; i < f; i++)
            for (int j = 0; j < _patch; j++) dw[i * _patch + j] = sum[j * f + i];
        if (Bias is not null)
        {
            var db = Bias.Gradient.Span;
            _dbChunks[0].AsSpan(0, db.Length).CopyTo(db);
            for (int q = 1; q < _chunks; q++) TensorPrimitives.Add(db, _dbChunks[q].AsSpan(0, db.Length), db);
        }
        return _inputGradient;
    }

    void IPartitionedWork.RunPart(int part, int parts)
    {
        fixed (float* x = _x)
        fixed (float* w = _w)
        fixed (float* col = _backward ? _cols[part] : null)
        {
            if (!_backward)
            {
                int tasks = _batch * _columnChunks;
                fixed (float* y = _y)
                    for (int t = (int)((long)part * tasks / parts), end = (int)((long)(part + 1) * tasks / parts); t < end; t++)
                    {
                        int n = t / _columnChunks, q0 = t % _columnChunks * _chunkWidth;
                        ForwardColumns(x + (long)n * _inSize, w, y + (long)n * _outSize, q0, Math.Min(_chunkWidth, _plane - q0));
                    }
                return;
            }
            fixed (float* dy = _dy)
            fixed (float* dx = _dx)
                for (int q = part; q < _chunks; q += parts)
                    BackwardChunk(q, x, w, dy, dx, col);
        }
    }

    // Output positions [q0, q0 + count) of one sample: y = b, then y += W·im2col(x) as an implicit GEMM (the
    // patches packed straight from x), or W·x for a pointwise kernel.
    private void ForwardColumns(float* x, float* w, float* y, int q0, int count)
    {
        int f = _g.Filters, plane = _plane;
        bool bias = _b.Length > 0;
        if (bias)
            for (int i = 0; i < f; i++) new Span<float>(y + (long)i * plane + q0, count).Fill(_b[i]);
        if (_g.IsPointwise)
            Gemm.Multiply(Transpose.No, Transpose.No, f, count, _patch, 1f, w, _patch, x + q0, plane, bias ? 1f : 0f, y + q0, plane);
        else
            Gemm.MultiplyPatches(_g, x, q0, count, f, w, bias ? 1f : 0f, y + q0, plane);
    }

    private void BackwardChunk(int q, float* x, float* w, float* dy, float* dx, float* col)
    {
        int f = _g.Filters, plane = _plane;
        int start = q * _batch / _chunks, end = (q + 1) * _batch / _chunks;
        fixed (float* dwq = _dwChunks[q])
        {
            var dbq = _dbChunks[q].AsSpan(0, f);
            if (start == end)
            {
                new Span<float>(dwq, f * _patch).Clear();
                dbq.Clear();
                return;
            }
            for (int n = start; n < end; n++)
            {
                float* xn = x + (long)n * _inSize, dyn = dy + (long)n * _outSize;
                float* patches = xn;
                if (!_g.IsPointwise)
                {
                    Im2Col.Pack(_g, xn, col);
                    patches = col;
                }
                // dWᵀ += col·dyᵀ [C·kh·kw, F]: the packed product then copies the patch rows as they are and transposes
                // the F rows of dy, instead of transposing the C·kh·kw rows of col (the same sums in the same order).
                Gemm.Multiply(Transpose.No, Transpose.Yes, _patch, f, plane, 1f, patches, plane, dyn, plane, n == start ? 0f : 1f, dwq, f);
                for (int i = 0; i < f; i++)
                {
                    float s = TensorPrimitives.Sum(new ReadOnlySpan<float>(dyn + (long)i * plane, plane));
                    dbq[i] = n == start ? s : dbq[i] + s;
                }
                if (!ComputeInputGradient) continue;
                float* dxn = dx + (long)n * _inSize;
                if (_g.IsPointwise)
                {
                    Gemm.Multiply(Transpose.Yes, Transpose.No, _patch, plane, f, 1f, w, _patch, dyn, plane, 0f, dxn, plane);
                    continue;
                }
                // dcol = Wᵀ·dy_n [C·kh·kw, OH·OW] in the patch buffer (its patches are used up), then col2im.
                Gemm.Multiply(Transpose.Yes, Transpose.No, _patch, plane, f, 1f, w, _patch, dyn, plane, 0f, col, plane);
                new Span<float>(dxn, _inSize).Clear();
                Im2Col.Accumulate(_g, col, dxn);
            }
        }
    }

    private void EnsureCols(int parts)
    {
        if (_cols.Length >= parts) return;
        int size = _g.IsPointwise ? 1 : _patch * _plane;
        var grown = new float[parts][];
        for (int i = 0; i < parts; i++) grown[i] = i < _cols.Length ? _cols[i] : new float[size];
        _cols = grown;
    }

    private void EnsureChunks(int chunks)
    {
        if (_dwChunks.Length >= chunks) return;
        var dw = new float[chunks][];
        var db = new float[chunks][];
        for (int i = 0; i < chunks; i++)
        {
            dw[i] = i < _dwChunks.Length ? _dwChunks[i] : new float[_g.Filters * _patch];
            db[i] = i < _dbChunks.Length ? _dbChunks[i] : new float[_g.Filters];
        }
        _dwChunks = dw;
        _dbChunks = db;
    }
}

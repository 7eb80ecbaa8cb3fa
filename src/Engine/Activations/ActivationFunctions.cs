using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DlBook.Engine.Kernels;

namespace DlBook.Engine.Activations;

/// <summary>
/// Forward and backward passes of every <see cref="Activation"/>, vectorised (TensorPrimitives where it
/// has the operation, Vector512 loops for the fused derivatives). Every backward pass uses only the
/// saved output y = f(z), so a layer need not keep z. Softmax and LogSoftmax work row-wise over a
/// [rows, cols] buffer; the others are element-wise and ignore <c>cols</c>. In-place use (same span
/// for input and output) is allowed.
/// </summary>
public static class ActivationFunctions
{
    /// <summary>The slope/scale α used when none is given: 0.01 for LeakyRelu, 1 for Elu, 0 otherwise.</summary>
    public static float DefaultAlpha(Activation activation) => activation switch
    {
        Activation.LeakyRelu => 0.01f,
        Activation.Elu => 1f,
        _ => 0f,
    };

    /// <summary>True for activations that normalise over a row (Softmax, LogSoftmax).</summary>
    public static bool IsRowWise(Activation activation) => activation is Activation.Softmax or Activation.LogSoftmax;

    /// <summary>Parses an activation name case-insensitively ("sigmoid", "ReLU", "leakyrelu", …).</summary>
    /// <exception cref="ArgumentException">The name is not an activation; the message lists the valid ones.</exception>
    public static Activation Parse(string name)
    {
        if (Enum.TryParse<Activation>(name, ignoreCase: true, out var a) && Enum.IsDefined(a)) return a;
        throw new ArgumentException(
            $"Unknown activation '{name}'. Valid names: {string.Join(", ", Enum.GetNames<Activation>())}.", nameof(name));
    }

    /// <summary>
    /// y = f(z). z, y: [rows, cols] (cols matters only for Softmax/LogSoftmax).
    /// </summary>
    /// <param name="activation">The function.</param>
    /// <param name="z">Pre-activations.</param>
    /// <param name="y">Outputs, same length as <paramref name="z"/>; may be the same memory.</param>
    /// <param name="cols">Row length for row-wise activations.</param>
    /// <param name="alpha">α for LeakyRelu/Elu; NaN means <see cref="DefaultAlpha"/>.</param>
    public static void Forward(Activation activation, ReadOnlySpan<float> z, Span<float> y, int cols = 0, float alpha = float.NaN)
    {
        if (y.Length < z.Length) throw new ArgumentException($"Output span ({y.Length}) is shorter than the input ({z.Length}).", nameof(y));
        y = y[..z.Length];
        if (float.IsNaN(alpha)) alpha = DefaultAlpha(activation);
        switch (activation)
        {
            case Activation.Identity: if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(y))) z.CopyTo(y); break;
            case Activation.Sigmoid: Sigmoid(z, y); break;
            case Activation.Tanh: TensorPrimitives.Tanh(z, y); break;
            case Activation.Relu: TensorPrimitives.Max(z, 0f, y); break;
            case Activation.LeakyRelu: LeakyReluForward(z, y, alpha); break;
            case Activation.Elu: EluForward(z, y, alpha); break;
            case Activation.Softmax:
                ForEachRow(z, y, cols, SoftmaxRow);
                break;
            case Activation.LogSoftmax:
                ForEachRow(z, y, cols, LogSoftmaxRow);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>
    /// dz = ∂C/∂z from dy = ∂C/∂y and the saved output y. y, dy, dz: [rows, cols].
    /// </summary>
    /// <param name="activation">The function.</param>
    /// <param name="y">Saved outputs of <see cref="Forward"/>.</param>
    /// <param name="dy">Gradient with respect to the outputs.</param>
    /// <param name="dz">Gradient with respect to the inputs; may be the same memory as <paramref name="dy"/>.</param>
    /// <param name="cols">Row length for row-wise activations.</param>
    /// <param name="alpha">α for LeakyRelu/Elu; NaN means <see cref="DefaultAlpha"/>.</param>
    public static void Backward(Activation activation, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz, int cols = 0, float alpha = float.NaN)
    {
        if (dy.Length != y.Length || dz.Length < y.Length)
            throw new ArgumentException($"Gradient lengths (dy {dy.Length}, dz {dz.Length}) do not match the output ({y.Length}).");
        dz = dz[..y.Length];
        if (float.IsNaN(alpha)) alpha = DefaultAlpha(activation);
        switch (activation)
        {
            case Activation.Identity: if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(dy), ref MemoryMarshal.GetReference(dz))) dy.CopyTo(dz); break;
            case Activation.Sigmoid: SigmoidBackward(y, dy, dz); break;
            case Activation.Tanh: TanhBackward(y, dy, dz); break;
            case Activation.Relu: LeakyReluBackward(y, dy, dz, 0f); break;
            case Activation.LeakyRelu: LeakyReluBackward(y, dy, dz, alpha); break;
            case Activation.Elu: EluBackward(y, dy, dz, alpha); break;
            case Activation.Softmax: SoftmaxBackward(y, dy, dz, CheckCols(cols, y.Length)); break;
            case Activation.LogSoftmax: LogSoftmaxBackward(y, dy, dz, CheckCols(cols, y.Length)); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>σ′(z) written as a(1−a) from the sigmoid output a — the factor of the quadratic cost's δ.</summary>
    public static void SigmoidDerivativeFromOutput(ReadOnlySpan<float> a, Span<float> result)
    {
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rr = ref MemoryMarshal.GetReference(result);
        int n = a.Length, i = 0;
        var one = Vector512.Create(1f);
        for (; i <= n - 16; i += 16)
        {
            var v = Vector512.LoadUnsafe(ref ra, (nuint)i);
            (v * (one - v)).StoreUnsafe(ref rr, (nuint)i);
        }
        for (; i < n; i++) { float v = Unsafe.Add(ref ra, i); Unsafe.Add(ref rr, i) = v * (1 - v); }
    }

    /// <summary>
    /// y = 1/(1 + e⁻ᶻ), the same values as <see cref="TensorPrimitives.Sigmoid{T}(ReadOnlySpan{T}, Span{T})"/> (whose vector
    /// path is this formula) in one pass with a masked tail on AVX-512; in-place use allowed.
    /// </summary>
    internal static unsafe void Sigmoid(ReadOnlySpan<float> z, Span<float> y)
    {
        int n = z.Length;
        // Below 16 values the library takes a scalar path whose exp rounds differently; keep its values there.
        if (n < 16 || !Avx512F.IsSupported || y.Length < n)
        {
            TensorPrimitives.Sigmoid(z, y);
            return;
        }
        fixed (float* pz = &MemoryMarshal.GetReference(z))
        fixed (float* py = &MemoryMarshal.GetReference(y))
        {
            int i = 0;
            for (; i <= n - 16; i += 16)
                Sigmoid(Vector512.Load(pz + i)).Store(py + i);
            if (i < n)
            {
                var mask = Masks512.First(n - i);
                Avx512F.MaskStore(py + i, mask, Sigmoid(Avx512F.MaskLoad(pz + i, mask, Vector512<float>.Zero)));
            }
        }
    }

    /// <summary>1/(1 + e⁻ᶻ) lane by lane: the formula of the library's vector path, shared by every fused sigmoid loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Sigmoid(Vector512<float> z) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-z));

    private delegate void RowAction(ReadOnlySpan<float> input, Span<float> output);

    private static int CheckCols(int cols, int length)
    {
        if (cols <= 0 || length % cols != 0)
            throw new ArgumentException($"A row-wise activation needs cols > 0 dividing the length {length}; got {cols}.", nameof(cols));
        return cols;
    }

    private static void ForEachRow(ReadOnlySpan<float> z, Span<float> y, int cols, RowAction action)
    {
        CheckCols(cols, z.Length);
        for (int r = 0; r < z.Length; r += cols) action(z.Slice(r, cols), y.Slice(r, cols));
    }

    // TensorPrimitives.SoftMax does not subtract the max and overflows for logits near 90; this does.
    private static void SoftmaxRow(ReadOnlySpan<float> z, Span<float> y)
    {
        float max = TensorPrimitives.Max(z);
        TensorPrimitives.Subtract(z, max, y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.Multiply(y, 1f / TensorPrimitives.Sum(y), y);
    }

    // log softmax(z) = z − max − ln Σ exp(z − max): subtracting the max keeps exp finite.
    private static void LogSoftmaxRow(ReadOnlySpan<float> z, Span<float> y)
    {
        float max = TensorPrimitives.Max(z);
        TensorPrimitives.Subtract(z, max, y);
        float lse = MathF.Log(SumExp(y));
        TensorPrimitives.Subtract(y, lse, y);
    }

    /// <summary>Σ exp(x) without a temporary buffer.</summary>
    internal static float SumExp(ReadOnlySpan<float> x)
    {
        ref float rx = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        var acc = Vector512<float>.Zero;
        for (; i <= n - 16; i += 16) acc += Vector512.Exp(Vector512.LoadUnsafe(ref rx, (nuint)i));
        float sum = Vector512.Sum(acc);
        for (; i < n; i++) sum += MathF.Exp(Unsafe.Add(ref rx, i));
        return sum;
    }

    private static void LeakyReluForward(ReadOnlySpan<float> z, Span<float> y, float alpha)
    {
        ref float rz = ref MemoryMarshal.GetReference(z);
        ref float ry = ref MemoryMarshal.GetReference(y);
        int n = z.Length, i = 0;
        var a = Vector512.Create(alpha);
        for (; i <= n - 16; i += 16)
        {
            var v = Vector512.LoadUnsafe(ref rz, (nuint)i);
            Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float>.Zero), v, v * a).StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < n; i++) { float v = Unsafe.Add(ref rz, i); Unsafe.Add(ref ry, i) = v > 0 ? v : alpha * v; }
    }

    private static void EluForward(ReadOnlySpan<float> z, Span<float> y, float alpha)
    {
        ref float rz = ref MemoryMarshal.GetReference(z);
        ref float ry = ref MemoryMarshal.GetReference(y);
        int n = z.Length, i = 0;
        var a = Vector512.Create(alpha);
        var one = Vector512.Create(1f);
        for (; i <= n - 16; i += 16)
        {
            var v = Vector512.LoadUnsafe(ref rz, (nuint)i);
            // min(v, 0) keeps exp from overflowing in the lanes that take the positive branch.
            var neg = a * (Vector512.Exp(Vector512.Min(v, Vector512<float>.Zero)) - one);
            Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float>.Zero), v, neg).StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < n; i++) { float v = Unsafe.Add(ref rz, i); Unsafe.Add(ref ry, i) = v > 0 ? v : alpha * (MathF.Exp(v) - 1); }
    }

    private static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rd = ref MemoryMarshal.GetReference(dy);
        ref float rz = ref MemoryMarshal.GetReference(dz);
        int n = y.Length, i = 0;
        var one = Vector512.Create(1f);
        for (; i <= n - 16; i += 16)
        {
            var a = Vector512.LoadUnsafe(ref ry, (nuint)i);
            (Vector512.LoadUnsafe(ref rd, (nuint)i) * a * (one - a)).StoreUnsafe(ref rz, (nuint)i);
        }
        for (; i < n; i++) { float a = Unsafe.Add(ref ry, i); Unsafe.Add(ref rz, i) = Unsafe.Add(ref rd, i) * a * (1 - a); }
    }

    private static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rd = ref MemoryMarshal.GetReference(dy);
        ref float rz = ref MemoryMarshal.GetReference(dz);
        int n = y.Length, i = 0;
        var one = Vector512.Create(1f);
        for (; i <= n - 16; i += 16)
        {
            var a = Vector512.LoadUnsafe(ref ry, (nuint)i);
            (Vector512.LoadUnsafe(ref rd, (nuint)i) * (one - a * a)).StoreUnsafe(ref rz, (nuint)i);
        }
        for (; i < n; i++) { float a = Unsafe.Add(ref ry, i); Unsafe.Add(ref rz, i) = Unsafe.Add(ref rd, i) * (1 - a * a); }
    }

    // For α ≥ 0 the output has the sign of z, so the branch can be read from y.
    private static void LeakyReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz, float alpha)
    {
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rd = ref MemoryMarshal.GetReference(dy);
        ref float rz = ref MemoryMarshal.GetReference(dz);
        int n = y.Length, i = 0;
        var a = Vector512.Create(alpha);
        for (; i <= n - 16; i += 16)
        {
            var d = Vector512.LoadUnsafe(ref rd, (nuint)i);
            var pos = Vector512.GreaterThan(Vector512.LoadUnsafe(ref ry, (nuint)i), Vector512<float>.Zero);
            Vector512.ConditionalSelect(pos, d, d * a).StoreUnsafe(ref rz, (nuint)i);
        }
        for (; i < n; i++) { float d = Unsafe.Add(ref rd, i); Unsafe.Add(ref rz, i) = Unsafe.Add(ref ry, i) > 0 ? d : alpha * d; }
    }

    // For z ≤ 0, y = α(eᶻ − 1) so dy/dz = αeᶻ = y + α.
    private static void EluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz, float alpha)
    {
        ref float ry = ref MemoryMarshal.GetReference(y);
        ref float rd = ref MemoryMarshal.GetReference(dy);
        ref float rz = ref MemoryMarshal.GetReference(dz);
        int n = y.Length, i = 0;
        var a = Vector512.Create(alpha);
        for (; i <= n - 16; i += 16)
        {
            var d = Vector512.LoadUnsafe(ref rd, (nuint)i);
            var v = Vector512.LoadUnsafe(ref ry, (nuint)i);
            Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float>.Zero), d, d * (v + a)).StoreUnsafe(ref rz, (nuint)i);
        }
        for (; i < n; i++) { float d = Unsafe.Add(ref rd, i), v = Unsafe.Add(ref ry, i); Unsafe.Add(ref rz, i) = v > 0 ? d : d * (v + alpha); }
    }

    // dz = y ⊙ (dy − ⟨dy, y⟩) per row.
    private static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz, int cols)
    {
        for (int r = 0; r < y.Length; r += cols)
        {
            var yr = y.Slice(r, cols);
            var dyr = dy.Slice(r, cols);
            var dzr = dz.Slice(r, cols);
            float dot = TensorPrimitives.Dot(dyr, yr);
            TensorPrimitives.Subtract(dyr, dot, dzr);
            TensorPrimitives.Multiply(dzr, yr, dzr);
        }
    }

    // dz = dy − softmax ⊙ Σdy per row, softmax = exp(y).
    private static void LogSoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz, int cols)
    {
        for (int r = 0; r < y.Length; r += cols)
        {
            var yr = y.Slice(r, cols);
            var dyr = dy.Slice(r, cols);
            var dzr = dz.Slice(r, cols);
            float sum = TensorPrimitives.Sum(dyr);
            for (int j = 0; j < cols; j++) dzr[j] = dyr[j] - MathF.Exp(yr[j]) * sum;
        }
    }
}

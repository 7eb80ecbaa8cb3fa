using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DlBook.Engine.Activations;
using DlBook.Engine.Tensors;
using DlBook.Engine.Kernels;

namespace DlBook.Engine.Losses;

/// <summary>
/// network2's CrossEntropyCost for sigmoid outputs: C = Σ_outputs −y ln a − (1−y) ln(1−a), averaged
/// over the batch, with δ = ∂C/∂z = (a − y)/batch. The value is computed from z as softplus(z) − y·z,
/// which is finite even where a rounds to 0 or 1 (where network2 needs nan_to_num).
/// </summary>
public sealed class CrossEntropyLoss : ILoss
{
    /// <inheritdoc />
    public string Name => "CrossEntropy";

    /// <inheritdoc />
    public Activation OutputActivation => Activation.Sigmoid;

    /// <inheritdoc />
    // z, y, δ: [batch, outputs]
    public float Compute(Tensor logits, Tensor targets, Tensor gradient)
    {
        LossChecks.Prepare(Name, logits, targets, gradient);
        var z = logits.Span;
        var y = targets.Span;
        var g = gradient.Span;
        int batch = logits.Rows;
        float cost = SumSoftplusMinusYz(z, y);
        Delta(z, y, g, 1f / batch);
        return cost / batch;
    }

    // δ = (σ(z) − y)·scale, one pass; σ as ActivationFunctions.Sigmoid computes it, so the bits match the three-pass form.
    private static void Delta(ReadOnlySpan<float> z, ReadOnlySpan<float> y, Span<float> g, float scale)
    {
        int n = z.Length, i = 0;
        if (n >= 16 && Avx512F.IsSupported)
        {
            ref float rz = ref MemoryMarshal.GetReference(z);
            ref float ry = ref MemoryMarshal.GetReference(y);
            ref float rg = ref MemoryMarshal.GetReference(g);
            var s = Vector512.Create(scale);
            for (; i <= n - 16; i += 16)
            {
                var a = ActivationFunctions.Sigmoid(Vector512.LoadUnsafe(ref rz, (nuint)i));
                ((a - Vector512.LoadUnsafe(ref ry, (nuint)i)) * s).StoreUnsafe(ref rg, (nuint)i);
            }
            if (i == n) return;
            // The last, partial vector: the same formula on the last 16 values, written only where it is new.
            i = n - 16;
            var tail = ActivationFunctions.Sigmoid(Vector512.LoadUnsafe(ref rz, (nuint)i));
            var fresh = Masks512.Last(n % 16);
            var d = (tail - Vector512.LoadUnsafe(ref ry, (nuint)i)) * s;
            Vector512.ConditionalSelect(fresh, d, Vector512.LoadUnsafe(ref rg, (nuint)i)).StoreUnsafe(ref rg, (nuint)i);
            return;
        }
        ActivationFunctions.Sigmoid(z, g);
        TensorPrimitives.Subtract(g, y, g);
        TensorPrimitives.Multiply(g, scale, g);
    }

    // Σ max(z,0) − y·z + ln(1 + e^−|z|), the stable form of −y ln σ(z) − (1−y) ln(1−σ(z)).
    private static float SumSoftplusMinusYz(ReadOnlySpan<float> z, ReadOnlySpan<float> y)
    {
        ref float rz = ref MemoryMarshal.GetReference(z);
        ref float ry = ref MemoryMarshal.GetReference(y);
        int n = z.Length, i = 0;
        var acc = Vector512<float>.Zero;
        var one = Vector512.Create(1f);
        for (; i <= n - 16; i += 16)
        {
            var v = Vector512.LoadUnsafe(ref rz, (nuint)i);
            var t = Vector512.LoadUnsafe(ref ry, (nuint)i);
            acc += Vector512.Max(v, Vector512<float>.Zero) - t * v + Vector512.Log(one + Vector512.Exp(-Vector512.Abs(v)));
        }
        double sum = Vector512.Sum(acc);
        for (; i < n; i++)
        {
            float v = Unsafe.Add(ref rz, i), t = Unsafe.Add(ref ry, i);
            sum += Math.Max(v, 0) - t * v + Math.Log(1 + Math.Exp(-Math.Abs(v)));
        }
        return (float)sum;
    }
}

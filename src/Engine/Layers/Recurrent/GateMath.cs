using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DlBook.Engine.Activations;

namespace DlBook.Engine.Layers;

/// <summary>The gate non-linearities of the recurrent cells, as 16-lane vectors and as scalars for the row tails.</summary>
internal static class GateMath
{
    /// <summary>Vector paths run only where 512-bit vectors are hardware (elsewhere the scalar loop does all).</summary>
    public static readonly bool Vector = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => Reciprocal(Vector512<float>.One + Exp(-x));

    /// <summary>
    /// 1/d for d ≥ 1 (the sigmoid's denominator): vrcp14ps (relative error below 2⁻¹⁴) and one Newton step,
    /// r + r(1 − d·r), which leaves it within about 2 ulp of 1/d. A 512-bit vdivps costs several times as much and
    /// was most of a gate's time after the exponential. Past d ≈ 8.5·10³⁷ the estimate is flushed to 0, which is
    /// what σ of a very negative input rounds to anyway.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reciprocal(Vector512<float> d)
    {
        var r = Avx512F.Reciprocal14(d);
        return Vector512.FusedMultiplyAdd(r, Vector512.FusedMultiplyAdd(-d, r, Vector512<float>.One), r);
    }

    // tanh x = 2σ(2x) − 1: one exp, and saturates to ±1 without overflow (e^{−2x} → ∞ gives σ → 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var two = Vector512.Create(2f);
        return two * Sigmoid(two * x) - Vector512<float>.One;
    }

    /// <summary>
    /// e^x in float32 on 16 lanes (Cephes' expf): x = n·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split in two for the
    /// reduction), e^r by a degree-6 polynomial, times 2ⁿ by vscalefps. Within 2 ulp of e^x; x is clamped to
    /// [−103.9, 88.7], so the result runs from the smallest subnormal to 3.3·10³⁸ and is never NaN for finite x.
    /// .NET's Vector512.Exp widens to double for correct rounding and took most of an LSTM step's gate time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-103.9f)), Vector512.Create(88.7f));
        var n = Avx512F.RoundScale(x * Vector512.Create(1.44269504088896341f), 0);   // to nearest
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        return Avx512F.Scale(p, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => MathF.Tanh(x);
}

/// <summary>Whether a cell's step stores what only Backward reads (a compile-time choice: the JIT drops the other branch).</summary>
internal interface IGateStore
{
    static abstract bool Keep { get; }
}

/// <summary>Training: the step stores the activated gates and the cell's extra value for Backward.</summary>
internal struct KeepGates : IGateStore
{
    public static bool Keep => true;
}

/// <summary>Inference: the step writes only the states.</summary>
internal struct StatesOnly : IGateStore
{
    public static bool Keep => false;
}

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

    // e^r ≈ 1 + c1·r + … + c5·r⁵ on |r| ≤ ln 2 / 2: a near-minimax fit of the relative error with the constant fixed
    // at 1 (so σ(0) = 0.5 and tanh 0 = 0 exactly); within 1e-7 in exact arithmetic, 2.1e-7 as evaluated below.
    private const float C1 = 9.9999970198e-01f, C2 = 4.9999150634e-01f, C3 = 1.6667635739e-01f,
        C4 = 4.1897930205e-02f, C5 = 8.2903150469e-03f;

    /// <summary>
    /// σ(x) = 1 / (1 + e^{−x}) within 3e-7 relative. What the gates cost was latency more than operations: the core
    /// holds only so many waiting vector operations, and each column waited on a chain of 20 dependent ones (Cephes'
    /// expf). This chain is 15 long: x clamped to ±88.7 (e^{88.7} is finite; a single vrangeps would clamp too, but it
    /// turns NaN into ±88.7), −x = n·ln 2 − r (ln 2 in two parts), e^{−r} by the degree-5 polynomial in Estrin's form
    /// (3 multiply-adds deep where Horner's is 6), times 2ⁿ by vscalefps, and 1/(1 + e^{−x}) by <see cref="Reciprocal"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-88.7f)), Vector512.Create(88.7f));   // NaN stays NaN
        var n = Avx512F.RoundScale(x * Vector512.Create(-1.44269504088896341f), 0);   // to nearest
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-2.12194440e-4f), r);   // −x = n·ln 2 − r
        var e = Avx512F.Scale(Polynomial(r, -C1, C2, -C3, C4, -C5), n);
        return Reciprocal(e + Vector512<float>.One);
    }

    /// <summary>
    /// 1/d for d ≥ 1 (the sigmoid's denominator): vrcp14ps (relative error below 2⁻¹⁴) and one Newton step,
    /// r + r(1 − d·r), which leaves it within about 2 ulp of 1/d. A 512-bit vdivps costs several times as much.
    /// Past d ≈ 8.5·10³⁷ the estimate is flushed to 0, which is what σ of a very negative input rounds to anyway.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reciprocal(Vector512<float> d)
    {
        var r = Avx512F.Reciprocal14(d);
        return Vector512.FusedMultiplyAdd(r, Vector512.FusedMultiplyAdd(-d, r, Vector512<float>.One), r);
    }

    /// <summary>
    /// tanh x = 2σ(2x) − 1 within 2e-7, saturating to ±1 without overflow. The 2 is folded into the constants: x is
    /// clamped to ±44.35, 2x = −n·ln 2 + 2r, the polynomial's coefficients take the factors of −2, and 2/(1 + e^{−2x}) − 1
    /// is 2r₀(1 − d·r₀) + (2r₀ − 1) with r₀ the reciprocal estimate, one multiply-add after the Newton correction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-44.35f)), Vector512.Create(44.35f));
        var n = Avx512F.RoundScale(x * Vector512.Create(-2.88539008177792682f), 0);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(0.3466796875f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-1.06097220e-4f), r);   // −2x = n·ln 2 − 2r
        var d = Avx512F.Scale(Polynomial(r, -2 * C1, 4 * C2, -8 * C3, 16 * C4, -32 * C5), n) + Vector512<float>.One;
        var r0 = Avx512F.Reciprocal14(d);
        var twice = r0 + r0;
        return Vector512.FusedMultiplyAdd(twice, Vector512.FusedMultiplyAdd(-d, r0, Vector512<float>.One), twice - Vector512<float>.One);
    }

    // 1 + a1·r + a2·r² + … + a5·r⁵ as (1 + a1·r) + r²·((a2 + a3·r) + r²·(a4 + a5·r)).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Polynomial(Vector512<float> r, float a1, float a2, float a3, float a4, float a5)
    {
        var low = Vector512.FusedMultiplyAdd(Vector512.Create(a1), r, Vector512<float>.One);
        var mid = Vector512.FusedMultiplyAdd(Vector512.Create(a3), r, Vector512.Create(a2));
        var high = Vector512.FusedMultiplyAdd(Vector512.Create(a5), r, Vector512.Create(a4));
        var r2 = r * r;
        return Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(high, r2, mid), r2, low);
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

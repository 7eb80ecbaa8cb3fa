using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DlBook.Engine.Activations;

namespace DlBook.Engine.Layers;

/// <summary>The gate non-linearities of the recurrent cells, as 16-lane vectors and as scalars for the row tails.</summary>
internal static class GateMath
{
    /// <summary>Vector paths run only where 512-bit vectors are hardware (elsewhere the scalar loop does all).</summary>
    public static readonly bool Vector = Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => ActivationFunctions.Sigmoid(x);

    // tanh x = 2σ(2x) − 1: one exp, and saturates to ±1 without overflow (e^{−2x} → ∞ gives σ → 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var two = Vector512.Create(2f);
        return two * ActivationFunctions.Sigmoid(two * x) - Vector512<float>.One;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x) => MathF.Tanh(x);
}

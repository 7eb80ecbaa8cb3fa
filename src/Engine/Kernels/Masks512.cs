using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DlBook.Engine.Kernels;

/// <summary>Lane masks for the masked loads and stores of the AVX-512 edge code (16 float lanes).</summary>
internal static class Masks512
{
    /// <summary>Lanes 0 … <paramref name="count"/> − 1 set: the first <paramref name="count"/> of a partial vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> First(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>Lanes 16 − <paramref name="count"/> … 15 set: the last <paramref name="count"/> of a vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Last(int count) =>
        Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(16 - count)).AsSingle();
}

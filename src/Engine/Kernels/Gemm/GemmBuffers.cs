using System.Runtime.InteropServices;

namespace DlBook.Engine.Kernels;

/// <summary>
/// Per-thread packing buffers, allocated once per thread and reused by every call (no allocation per GEMM).
/// Native, 64-byte aligned so packed panels start on cache lines; freed by the finalizer when the thread dies.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    [ThreadStatic] private static GemmBuffers? current;

    private GemmBuffers()
    {
        A = (float*)NativeMemory.AlignedAlloc((nuint)(GemmBlocking.MC * GemmBlocking.AStride * sizeof(float)), 64);
        B = (float*)NativeMemory.AlignedAlloc((nuint)(GemmBlocking.KC * GemmBlocking.NC * sizeof(float)), 64);
    }

    ~GemmBuffers()
    {
        NativeMemory.AlignedFree(A);
        NativeMemory.AlignedFree(B);
    }

    /// <summary>Packed block of A: MC rows, row stride <see cref="GemmBlocking.AStride"/>.</summary>
    public float* A { get; }

    /// <summary>Packed panel of B: NC/NR micro-panels of KC×NR each.</summary>
    public float* B { get; }

    /// <summary>The calling thread's buffers.</summary>
    public static GemmBuffers ForCurrentThread() => current ??= new GemmBuffers();
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DlBook.Engine.Layers;

/// <summary>
/// Floats on the pinned heap (the array never moves) seen from its first 64-byte boundary, so that rows whose width
/// is a multiple of 16 all start on a cache line and no 16-lane load of them straddles two. The pinned heap aligns
/// arrays to 8 bytes only.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private float[] _array = [];
    private int _at;

    /// <summary>Floats in view.</summary>
    public int Length { get; private set; }

    /// <summary>The first float in view (stable: the array is pinned).</summary>
    public float* Pointer => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array)) + _at;

    /// <summary>The floats in view.</summary>
    public Span<float> Span => _array.AsSpan(_at, Length);

    /// <summary>Views <paramref name="length"/> floats, reallocating (contents lost) only when the array is too short.</summary>
    public AlignedBuffer Resize(int length)
    {
        if (_array.Length - _at < length)
        {
            _array = GC.AllocateArray<float>(length + 15, pinned: true);
            _at = (int)(((64 - (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array)) % 64) % 64) / sizeof(float));
        }
        Length = length;
        return this;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DlBook.Engine.Kernels;

/// <summary>
/// op(B) [k×n] packed once into the micro-panels the packed GEMM streams, for many products against the same B:
/// a recurrent layer multiplies every step's state by the same R, and packing a 1 MB R for each of 100 steps cost
/// as much as a sixth of the char-LSTM's time. Block (jc, pc) — columns jc.., depth pc.. — sits at
/// jc·k + pc·roundup(nc, NR), so each NC block holds its KC slices one after another. Reused: <see cref="Pack"/>
/// grows the buffer only when a larger B comes.
/// </summary>
internal sealed unsafe class GemmPackedB
{
    private float[] _data = [];

    /// <summary>Depth k of op(B).</summary>
    public int K { get; private set; }

    /// <summary>Columns n of op(B).</summary>
    public int N { get; private set; }

    /// <summary>The instruction set whose micro-panel width it was packed for.</summary>
    public GemmIsa Isa { get; private set; }

    private int _nr;

    /// <summary>The packed values (pinned).</summary>
    public float* Pointer => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_data));

    /// <summary>Packs op(B) (stored k×n with row stride ldb, or n×k when <paramref name="transB"/> is Yes) for <paramref name="isa"/>.</summary>
    public void Pack(GemmIsa isa, Transpose transB, float* b, int ldb, int k, int n)
    {
        GemmPacked.Kernel(isa, out _, out int nr);
        (Isa, K, N, _nr) = (isa, k, n, nr);
        long length = (long)n / GemmBlocking.NC * GemmBlocking.NC * k + (long)RoundUp(n % GemmBlocking.NC, nr) * k;
        if (_data.Length < length) _data = GC.AllocateUninitializedArray<float>(checked((int)length), pinned: true);
        bool useAvx = GemmPacked.UseAvx(isa);
        float* dst = Pointer;
        for (int jc = 0; jc < n; jc += GemmBlocking.NC)
        {
            int nc = Math.Min(GemmBlocking.NC, n - jc);
            for (int pc = 0; pc < k; pc += GemmBlocking.KC)
                GemmPacking.PackB(transB, b, ldb, pc, jc, Math.Min(GemmBlocking.KC, k - pc), nc, nr, useAvx, dst + Offset(jc, pc));
        }
    }

    /// <summary>Where block (jc, pc) starts.</summary>
    public long Offset(int jc, int pc) => (long)jc * K + (long)pc * RoundUp(Math.Min(GemmBlocking.NC, N - jc), _nr);

    private static int RoundUp(int x, int r) => (x + r - 1) / r * r;
}

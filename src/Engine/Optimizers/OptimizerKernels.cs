using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DlBook.Engine.Optimizers;

/// <summary>The fused element-wise update loops of the optimisers (one memory pass each).</summary>
internal static class OptimizerKernels
{
    /// <summary>w ← decay·w − lr·g.</summary>
    public static void Sgd(Span<float> w, ReadOnlySpan<float> g, float lr, float decay)
    {
        ref float rw = ref MemoryMarshal.GetReference(w);
        ref float rg = ref MemoryMarshal.GetReference(g);
        int n = w.Length, i = 0;
        var vl = Vector512.Create(lr);
        var vd = Vector512.Create(decay);
        // Element-wise, so where the vectors start does not change a bit: start them on a 64-byte boundary of w,
        // whose stores would otherwise each split two cache lines.
        int head = Math.Min(n, HeadToAlignment(ref rw));
        for (; i < head; i++) Unsafe.Add(ref rw, i) = decay * Unsafe.Add(ref rw, i) - lr * Unsafe.Add(ref rg, i);
        for (; i <= n - 16; i += 16)
        {
            var wv = Vector512.LoadUnsafe(ref rw, (nuint)i);
            (wv * vd - vl * Vector512.LoadUnsafe(ref rg, (nuint)i)).StoreUnsafe(ref rw, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref rw, i) = decay * Unsafe.Add(ref rw, i) - lr * Unsafe.Add(ref rg, i);
    }

    /// <summary>
    /// g ← w·c + g, then w ← decay·w − lr·g, in one pass: the L2 pass and <see cref="Sgd"/> fused, with each operation
    /// rounded as there (the product w·c, then the sum; no fused multiply-add), so the bits match the two passes.
    /// </summary>
    public static void SgdWithL2(Span<float> w, Span<float> g, float c, float lr, float decay)
    {
        if (g.Length != w.Length) throw new ArgumentException($"Weights ({w.Length}) and gradient ({g.Length}) differ in length.", nameof(g));
        ref float rw = ref MemoryMarshal.GetReference(w);
        ref float rg = ref MemoryMarshal.GetReference(g);
        int n = w.Length, i = 0;
        int head = Math.Min(n, HeadToAlignment(ref rw));
        for (; i < head; i++) Step(ref Unsafe.Add(ref rw, i), ref Unsafe.Add(ref rg, i), c, lr, decay);
        var vc = Vector512.Create(c);
        var vl = Vector512.Create(lr);
        var vd = Vector512.Create(decay);
        for (; i <= n - 16; i += 16)
        {
            var wv = Vector512.LoadUnsafe(ref rw, (nuint)i);
            var gv = wv * vc + Vector512.LoadUnsafe(ref rg, (nuint)i);
            gv.StoreUnsafe(ref rg, (nuint)i);
            (wv * vd - vl * gv).StoreUnsafe(ref rw, (nuint)i);
        }
        for (; i < n; i++) Step(ref Unsafe.Add(ref rw, i), ref Unsafe.Add(ref rg, i), c, lr, decay);

        static void Step(ref float wi, ref float gi, float c, float lr, float decay)
        {
            float gv = wi * c + gi;
            gi = gv;
            wi = decay * wi - lr * gv;
        }
    }

    /// <summary>Elements before the first 64-byte boundary at or after <paramref name="first"/> (0 when it is not float-aligned).</summary>
    private static unsafe int HeadToAlignment(ref float first)
    {
        nint address = (nint)Unsafe.AsPointer(ref first);
        return (address & 3) != 0 ? 0 : (int)((16 - ((address >> 2) & 15)) & 15);
    }

    /// <summary>g′ = g + wd·w; v ← μv + g′ (v = g′ on the first step); w ← w − lr·(nesterov ? g′ + μv : v).</summary>
    public static void Momentum(Span<float> w, ReadOnlySpan<float> g, Span<float> v, float lr, float mu, float wd, bool first, bool nesterov)
    {
        ref float rw = ref MemoryMarshal.GetReference(w);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rv = ref MemoryMarshal.GetReference(v);
        int n = w.Length, i = 0;
        float muv = first ? 0f : mu; // PyTorch initialises the buffer with the first gradient
        var vmu = Vector512.Create(muv);
        var vmuN = Vector512.Create(mu);
        var vl = Vector512.Create(lr);
        var vwd = Vector512.Create(wd);
        for (; i <= n - 16; i += 16)
        {
            var wv = Vector512.LoadUnsafe(ref rw, (nuint)i);
            var gv = Vector512.LoadUnsafe(ref rg, (nuint)i) + vwd * wv;
            var vel = vmu * Vector512.LoadUnsafe(ref rv, (nuint)i) + gv;
            vel.StoreUnsafe(ref rv, (nuint)i);
            var upd = nesterov ? gv + vmuN * vel : vel;
            (wv - vl * upd).StoreUnsafe(ref rw, (nuint)i);
        }
        for (; i < n; i++)
        {
            float wv = Unsafe.Add(ref rw, i);
            float gv = Unsafe.Add(ref rg, i) + wd * wv;
            float vel = muv * Unsafe.Add(ref rv, i) + gv;
            Unsafe.Add(ref rv, i) = vel;
            Unsafe.Add(ref rw, i) = wv - lr * (nesterov ? gv + mu * vel : vel);
        }
    }

    /// <summary>s ← ρ·s + c·g²; w ← w − lr·g/(√s + ε). Adagrad: ρ = 1, c = 1. RMSprop: c = 1 − ρ.</summary>
    public static void ScaledBySquares(Span<float> w, ReadOnlySpan<float> g, Span<float> s, float lr, float rho, float c, float eps)
    {
        ref float rw = ref MemoryMarshal.GetReference(w);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rs = ref MemoryMarshal.GetReference(s);
        int n = w.Length, i = 0;
        var vr = Vector512.Create(rho);
        var vc = Vector512.Create(c);
        var vl = Vector512.Create(lr);
        var ve = Vector512.Create(eps);
        for (; i <= n - 16; i += 16)
        {
            var gv = Vector512.LoadUnsafe(ref rg, (nuint)i);
            var sv = vr * Vector512.LoadUnsafe(ref rs, (nuint)i) + vc * gv * gv;
            sv.StoreUnsafe(ref rs, (nuint)i);
            (Vector512.LoadUnsafe(ref rw, (nuint)i) - vl * gv / (Vector512.Sqrt(sv) + ve)).StoreUnsafe(ref rw, (nuint)i);
        }
        for (; i < n; i++)
        {
            float gv = Unsafe.Add(ref rg, i);
            float sv = rho * Unsafe.Add(ref rs, i) + c * gv * gv;
            Unsafe.Add(ref rs, i) = sv;
            Unsafe.Add(ref rw, i) -= lr * gv / (MathF.Sqrt(sv) + eps);
        }
    }

    /// <summary>
    /// PyTorch's Adam after the optional decoupled decay w ← decay·w: m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²;
    /// w ← w − (lr/bc1)·m/(√v/√bc2 + ε), bc = 1 − βᵗ.
    /// </summary>
    public static void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float lr, float beta1, float beta2, float eps, int step, float decay)
    {
        float bc1 = 1f - MathF.Pow(beta1, step);
        float sqrtBc2 = MathF.Sqrt(1f - MathF.Pow(beta2, step));
        float stepSize = lr / bc1;
        ref float rw = ref MemoryMarshal.GetReference(w);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rm = ref MemoryMarshal.GetReference(m);
        ref float rv = ref MemoryMarshal.GetReference(v);
        int n = w.Length, i = 0;
        var b1 = Vector512.Create(beta1); var c1 = Vector512.Create(1 - beta1);
        var b2 = Vector512.Create(beta2); var c2 = Vector512.Create(1 - beta2);
        var vs = Vector512.Create(stepSize); var vb = Vector512.Create(sqrtBc2);
        var ve = Vector512.Create(eps); var vd = Vector512.Create(decay);
        for (; i <= n - 16; i += 16)
        {
            var gv = Vector512.LoadUnsafe(ref rg, (nuint)i);
            var mv = b1 * Vector512.LoadUnsafe(ref rm, (nuint)i) + c1 * gv;
            var vv = b2 * Vector512.LoadUnsafe(ref rv, (nuint)i) + c2 * gv * gv;
            mv.StoreUnsafe(ref rm, (nuint)i);
            vv.StoreUnsafe(ref rv, (nuint)i);
            var wv = vd * Vector512.LoadUnsafe(ref rw, (nuint)i);
            (wv - vs * mv / (Vector512.Sqrt(vv) / vb + ve)).StoreUnsafe(ref rw, (nuint)i);
        }
        for (; i < n; i++)
        {
            float gv = Unsafe.Add(ref rg, i);
            float mv = beta1 * Unsafe.Add(ref rm, i) + (1 - beta1) * gv;
            float vv = beta2 * Unsafe.Add(ref rv, i) + (1 - beta2) * gv * gv;
            Unsafe.Add(ref rm, i) = mv;
            Unsafe.Add(ref rv, i) = vv;
            Unsafe.Add(ref rw, i) = decay * Unsafe.Add(ref rw, i) - stepSize * mv / (MathF.Sqrt(vv) / sqrtBc2 + eps);
        }
    }
}


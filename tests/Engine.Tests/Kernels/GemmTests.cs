using DlBook.Engine.Kernels;

namespace DlBook.Engine.Tests.Kernels;

/// <summary>The fast GEMM against the double-accumulating reference, on every instruction-set path and thread count.</summary>
public class GemmTests
{
    private static readonly int[] OddSizes = [1, 7, 33, 257];

    public static TheoryData<string, Transpose, Transpose> PathsAndTransposes()
    {
        var data = new TheoryData<string, Transpose, Transpose>();
        foreach (var isa in AvailableIsas())
            foreach (var ta in new[] { Transpose.No, Transpose.Yes })
                foreach (var tb in new[] { Transpose.No, Transpose.Yes })
                    data.Add(isa.ToString(), ta, tb);
        return data;
    }

    [Theory]
    [MemberData(nameof(PathsAndTransposes))]
    public void OddShapesMatchReferenceOnEveryPathAndThreadCount(string isa, Transpose ta, Transpose tb)
    {
        (float Alpha, float Beta)[] scalings = [(1f, 0f), (0.5f, 1f), (-1.5f, 0.25f)];
        int seed = 0;
        foreach (int m in OddSizes)
        foreach (int n in OddSizes)
        foreach (int k in OddSizes)
        {
            var (alpha, beta) = scalings[seed % scalings.Length];
            var problem = new GemmProblem(ta, tb, m, n, k, alpha, beta, seed++);
            foreach (int threads in new[] { 1, 2 })
                problem.AssertMatchesReference(Run(isa, threads, problem));
        }
    }

    [Theory]
    [MemberData(nameof(PathsAndTransposes))]
    public void BookShapesAndLargeShapesMatchReference(string isa, Transpose ta, Transpose tb)
    {
        // The book's batch-10 Dense shapes, a k spanning several KC slices, and n spanning several NC panels.
        (int M, int N, int K)[] shapes = [(10, 30, 784), (30, 784, 10), (10, 784, 30), (10, 10, 30), (1, 30, 1), (50, 90, 700), (20, 1100, 300), (1030, 40, 70)];
        int seed = 100;
        foreach (var (m, n, k) in shapes)
        {
            var problem = new GemmProblem(ta, tb, m, n, k, 1f, seed % 2 == 0 ? 0f : 1f, seed++, pad: 5);
            problem.AssertMatchesReference(Run(isa, 2, problem));
        }
    }

    [Theory]
    [MemberData(nameof(PathsAndTransposes))]
    public void SmallShapesWithShortKMatchReference(string isa, Transpose ta, Transpose tb)
    {
        // The no-pack path's edges: k below the dot-product threshold (C = A·Bᵀ goes through a transposed B),
        // m around one or two 6-row blocks, n across the 16-, 32- and 64-column tiles and their masked tails.
        int[] ms = [1, 5, 6, 7, 10, 12, 13];
        int[] ns = [1, 10, 16, 17, 30, 32, 33, 48, 63, 64, 65, 100, 257];
        int[] ks = [1, 2, 10, 15, 16, 17, 30, 31, 32];
        (float Alpha, float Beta)[] scalings = [(1f, 0f), (1f, 1f), (-0.75f, 0f), (2.5f, -0.5f)];
        int seed = 500;
        foreach (int m in ms)
        foreach (int n in ns)
        foreach (int k in ks)
        {
            var (alpha, beta) = scalings[seed % scalings.Length];
            var problem = new GemmProblem(ta, tb, m, n, k, alpha, beta, seed, pad: 1 + seed % 7);
            seed++;
            problem.AssertMatchesReference(Run(isa, 1, problem));
        }
    }

    [Fact]
    public void LongKDotTilesGiveTheSameBitsAtEveryAlignment()
    {
        // x·Wᵀ with a mini-batch of rows (m ≤ 10) and rows of A a multiple of 16 apart: the dot tiles start on A's
        // first 64-byte boundary, so the bits must not depend on where A happens to sit.
        foreach (var (m, n, k, lda) in new[] { (10, 30, 784, 784), (7, 33, 100, 112), (1, 17, 64, 64), (10, 2, 1000, 1008), (3, 5, 65, 80) })
        {
            var rng = new System.Random(m * 1000 + k);
            var a = Enumerable.Range(0, m * lda).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var b = Enumerable.Range(0, n * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var reference = new float[m * n];
            GemmReference.Multiply(Transpose.No, Transpose.Yes, m, n, k, 0.5f, a, lda, b, k, 0f, reference, n);
            float[]? first = null;
            for (int offset = 0; offset < 16; offset++)
            {
                var shifted = new float[a.Length + offset];
                a.CopyTo(shifted, offset);
                var c = Enumerable.Repeat(float.NaN, m * n).ToArray();
                Gemm.Multiply(Transpose.No, Transpose.Yes, m, n, k, 0.5f, shifted.AsSpan(offset), lda, b, k, 0f, c, n);
                for (int i = 0; i < c.Length; i++)
                    Assert.True(MathF.Abs(c[i] - reference[i]) <= (k + 2) * 1.2e-7f * k, $"m={m} n={n} k={k} offset {offset}: C[{i}] = {c[i]}, reference {reference[i]}");
                first ??= c;
                Assert.Equal(first, c);
            }
        }
    }

    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string>();
        foreach (var isa in AvailableIsas())
            data.Add(isa.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void ResultsAreBitIdenticalAcrossRepeatsAndThreadCounts(string isa)
    {
        foreach (var (m, n, k, ta, tb) in new[]
                 {
                     (300, 520, 600, Transpose.No, Transpose.No),
                     (520, 70, 300, Transpose.Yes, Transpose.Yes),
                     (10, 784, 30, Transpose.No, Transpose.No),
                     (64, 4096, 16, Transpose.Yes, Transpose.No),
                 })
        {
            var problem = new GemmProblem(ta, tb, m, n, k, 0.75f, 0.5f, seed: m + n + k);
            var one = Run(isa, 1, problem);
            var again = Run(isa, 1, problem);
            var two = Run(isa, 2, problem);
            var three = Run(isa, 3, problem);
            Assert.Equal(one, again);
            Assert.Equal(one, two);
            Assert.Equal(one, three);
        }
    }

    [Theory]
    [MemberData(nameof(PathsAndTransposes))]
    public unsafe void PrepackedBMatchesReferenceAndGivesTheBitsOfTheOrdinaryCall(string isa, Transpose ta, Transpose tb)
    {
        // The recurrent layers pack R once and multiply it by every step's state: the packed path's bits without packing each call,
        // across KC slices (k > 256), NC panels (n > 1024), ragged NR tails, and a buffer reused for a smaller B.
        var packed = new GemmPackedB();
        int seed = 900;
        foreach (var (m, n, k) in new[] { (16, 1100, 300), (7, 33, 257), (16, 256, 1024), (1, 40, 5), (30, 512, 128), (13, 1, 600) })
        {
            var problem = new GemmProblem(ta, tb, m, n, k, seed % 2 == 0 ? 1f : -0.5f, seed % 3 == 0 ? 0f : 1f, seed++, pad: 3);
            var ordinary = Run(isa, 1, problem);
            var c = (float[])problem.C.Clone();
            fixed (float* pa = problem.A)
            fixed (float* pb = problem.B)
            fixed (float* pc = c)
            {
                packed.Pack(Enum.Parse<GemmIsa>(isa), tb, pb, problem.Ldb, k, n);
                Gemm.MultiplyPrepacked(ta, m, problem.Alpha, pa, problem.Lda, packed, problem.Beta, pc, problem.Ldc);
            }
            problem.AssertMatchesReference(c);
            if (isa != nameof(GemmIsa.Avx512) || !GemmSmall.Accepts(ta, tb, m, n, k)) Assert.Equal(ordinary, c);
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(40)]
    public void EightRowTilesGiveTheBitsOfTwelveRowTiles(int m)
    {
        // 16, 32 and 40 rows take 8-row tiles on AVX-512 (12-row tiles would compute 24, 36 and 48); 48 rows take
        // 12-row tiles. The rows the two problems share must agree to the bit.
        const int n = 300, k = 700, ldc = n, tallRows = 48;
        var rng = new System.Random(m);
        var a = Enumerable.Range(0, tallRows * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var tall = new float[tallRows * ldc];
        var shorter = new float[m * ldc];
        Gemm.Multiply(Transpose.No, Transpose.No, tallRows, n, k, 1f, a, k, b, n, 0f, tall, ldc);
        Gemm.Multiply(Transpose.No, Transpose.No, m, n, k, 1f, a, k, b, n, 0f, shorter, ldc);
        Assert.Equal(tall.AsSpan(0, m * ldc).ToArray(), shorter);
    }

    [Theory]
    [InlineData(72)]
    [InlineData(80)]
    [InlineData(40)]
    public void AHalfWidthLastPanelGivesTheBitsOfFullTiles(int n)
    {
        // A last panel of 5 to 16 columns takes a 12×16 tile on AVX-512. Its columns must agree to the bit with the
        // same columns computed inside full 32-wide tiles (n = 96).
        const int m = 300, k = 256, wide = 96;
        var rng = new System.Random(n);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var bWide = Enumerable.Range(0, wide * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var cStart = Enumerable.Range(0, m * wide).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        foreach (float beta in new[] { 0f, 0.5f })
        {
            // C = A·Bᵀ with B [n, k] as the output layers call it; the narrow B is the first n rows of the wide one.
            var full = (float[])cStart.Clone();
            Gemm.Multiply(Transpose.No, Transpose.Yes, m, wide, k, 1.5f, a, k, bWide, k, beta, full, wide);
            var narrow = new float[m * n];
            for (int i = 0; i < m; i++) cStart.AsSpan(i * wide, n).CopyTo(narrow.AsSpan(i * n));
            Gemm.Multiply(Transpose.No, Transpose.Yes, m, n, k, 1.5f, a, k, bWide.AsSpan(0, n * k).ToArray(), k, beta, narrow, n);
            for (int i = 0; i < m; i++) Assert.Equal(full.AsSpan(i * wide, n).ToArray(), narrow.AsSpan(i * n, n).ToArray());
        }
    }

    [Theory]
    [InlineData(65, 256, Transpose.Yes)]
    [InlineData(66, 300, Transpose.Yes)]
    [InlineData(68, 37, Transpose.Yes)]
    [InlineData(3, 1024, Transpose.No)]
    public void AFewLastColumnsAreDotProductsAlongKOnEveryThreadCount(int n, int k, Transpose tb)
    {
        // At most 4 columns left in the last panel (the char model's 65 classes: 64 + 1) are computed as dot products
        // along k on AVX-512: against the double reference, with C read through β, and the same bits on 1 and 2
        // threads, whose row ranges put different rows at the start of a block. (Shapes large enough for the packed path.)
        const int m = 1201;
        foreach (var (alpha, beta) in new[] { (1f, 0f), (-1.5f, 0.5f) })
        {
            var problem = new GemmProblem(Transpose.No, tb, m, n, k, alpha, beta, n + k);
            var one = Run("Auto", 1, problem);
            problem.AssertMatchesReference(one);
            Assert.Equal(one, Run("Auto", 2, problem));
        }
    }

    [Fact]
    public void BetaZeroOverwritesNaNAndZeroKScalesC()
    {
        float[] c = [float.NaN, float.NaN, 2f, 4f];
        Gemm.Multiply(Transpose.No, Transpose.No, 1, 2, 0, 1f, [], 1, [], 2, 0f, c.AsSpan(0, 2), 2);
        Gemm.Multiply(Transpose.No, Transpose.No, 1, 2, 0, 1f, [], 1, [], 2, 0.5f, c.AsSpan(2, 2), 2);
        Assert.Equal([0f, 0f, 1f, 2f], c);

        // α = 0 leaves β·C whatever A and B hold.
        float[] d = [3f];
        Gemm.Multiply(Transpose.No, Transpose.No, 1, 1, 1, 0f, [float.NaN], 1, [1f], 1, 2f, d, 1);
        Assert.Equal(6f, d[0]);
    }

    [Fact]
    public void BadSizesThrowNamingTheOperand()
    {
        var small = new float[5];
        var ok = new float[100];
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 3, 3, 3, 1, small, 3, ok, 3, 0, ok, 3));
        Assert.Equal("a", e.ParamName);
        Assert.Contains("A holds 5 values", e.Message);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.Yes, 3, 4, 5, 1, ok, 5, ok, 4, 0, ok, 4));
        Assert.Equal("ldb", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(Transpose.No, Transpose.No, 4, 4, 4, 1, ok, 4, ok, 4, 0, small, 4));
        Assert.Equal("c", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(Transpose.No, Transpose.No, -1, 4, 4, 1, ok, 4, ok, 4, 0, ok, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MaxThreads = 0);
    }

    private static float[] Run(string isa, int threads, GemmProblem problem)
    {
        var (savedIsa, savedThreads) = (Gemm.ForceIsa, Gemm.ForceThreads);
        try
        {
            Gemm.ForceIsa = Enum.Parse<GemmIsa>(isa);
            Gemm.ForceThreads = threads;
            return problem.RunFast();
        }
        finally
        {
            (Gemm.ForceIsa, Gemm.ForceThreads) = (savedIsa, savedThreads);
        }
    }

    private static IEnumerable<GemmIsa> AvailableIsas()
    {
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported) yield return GemmIsa.Avx512;
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported) yield return GemmIsa.Avx2;
        yield return GemmIsa.Vector128;
    }
}

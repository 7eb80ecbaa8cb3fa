using DlBook.Engine.Kernels;

namespace DlBook.Bench;

/// <summary>
/// GEMM GFLOP/s: square NN products 256²…2048² (the OpenBLAS comparison of bench_torch.py) and the book's three
/// batch-10 Dense-layer products: forward y = x·Wᵀ, weight gradient δᵀ·x, input gradient δ·W for [784,30,10].
/// </summary>
public sealed class GemmWorkload : IWorkload
{
    /// <inheritdoc />
    public string Name => "gemm";

    /// <summary>The skinny shapes (name, transA, transB, m, n, k) as skinny_torch.py times them.</summary>
    public static readonly (string Name, Transpose TransA, Transpose TransB, int M, int N, int K)[] SkinnyShapes =
    [
        ("gemm x·Wᵀ (10×784)·(784×30)", Transpose.No, Transpose.Yes, 10, 30, 784),
        ("gemm δᵀ·x (30×10)·(10×784)", Transpose.Yes, Transpose.No, 30, 784, 10),
        ("gemm δ·W (10×30)·(30×784)", Transpose.No, Transpose.No, 10, 784, 30),
    ];

    /// <inheritdoc />
    public void Run(BenchOptions options, BenchReport report)
    {
        Gemm.MaxThreads = options.Threads;
        var rng = new Random(1);
        foreach (int n in new[] { 256, 512, 1024, 2048 })
        {
            var a = Random(rng, n * n);
            var b = Random(rng, n * n);
            var c = new float[n * n];
            var times = Timing.SecondsPerCall(() => Gemm.Multiply(Transpose.No, Transpose.No, n, n, n, 1f, a, n, b, n, 0f, c, n), options);
            report.Add($"gemm {n}", "GFLOP/s", 2.0 * n * n * n / 1e9, times);
        }

        foreach (var (name, ta, tb, m, n, k) in SkinnyShapes)
        {
            var a = Random(rng, m * k);
            var b = Random(rng, k * n);
            var c = new float[m * n];
            int lda = ta == Transpose.No ? k : m, ldb = tb == Transpose.No ? n : k;
            var times = Timing.SecondsPerCall(() => Gemm.Multiply(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n), options);
            report.Add(name, "GFLOP/s", 2.0 * m * n * k / 1e9, times);
        }
    }

    private static float[] Random(Random rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}

using DlBook.Engine.Random;
using DlBook.Engine.Tensors;

namespace DlBook.Engine.Initializers;

/// <summary>
/// Orthogonal initialisation (Saxe et al. 2014; Keras's and the recurrent layers' default for R): the tensor is
/// read as a [rows, cols] matrix with cols its last dimension. When rows is a multiple of cols it is filled block by
/// block, each [cols, cols] block an independent random orthogonal matrix — so every gate block of a recurrent
/// R [dirs, G·H, H] satisfies RᵀR = I. Otherwise the whole matrix is made semi-orthogonal (orthonormal rows when
/// rows ≤ cols, orthonormal columns when rows &gt; cols). Draws N(0, 1) values and orthonormalises them by modified
/// Gram–Schmidt in double precision, which equals QR with the sign of R's diagonal made positive (Mezzadri 2007),
/// i.e. Haar-distributed. Gain 1; fan-in and fan-out are not used.
/// </summary>
public sealed class OrthogonalInitializer : IInitializer
{
    /// <summary>The shared instance.</summary>
    public static OrthogonalInitializer Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "Orthogonal";

    /// <inheritdoc />
    public void Fill(Tensor tensor, int fanIn, int fanOut, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(rng);
        if (tensor.Length == 0) return;
        int cols = tensor.Rank == 0 ? 1 : tensor.Dim(tensor.Rank - 1);
        int rows = tensor.Length / cols;
        var span = tensor.Span;
        if (rows % cols == 0)
        {
            for (int block = 0; block < rows / cols; block++)
                Write(Orthonormal(cols, cols, rng), span.Slice(block * cols * cols, cols * cols), cols, cols, transpose: false);
        }
        else if (rows < cols)
            Write(Orthonormal(rows, cols, rng), span, rows, cols, transpose: false);
        else
            Write(Orthonormal(cols, rows, rng), span, rows, cols, transpose: true);
    }

    // k ≤ n orthonormal vectors of length n, as a [k, n] row-major array.
    private static double[] Orthonormal(int k, int n, Rng rng)
    {
        var v = new double[k * n];
        for (int i = 0; i < v.Length; i++) v[i] = rng.NextNormal();
        for (int i = 0; i < k; i++)
        {
            var vi = v.AsSpan(i * n, n);
            for (int pass = 0; pass < 2; pass++) // a second pass restores orthogonality lost to rounding
            {
                for (int j = 0; j < i; j++)
                {
                    var vj = v.AsSpan(j * n, n);
                    double dot = 0;
                    for (int e = 0; e < n; e++) dot += vi[e] * vj[e];
                    for (int e = 0; e < n; e++) vi[e] -= dot * vj[e];
                }
            }
            double norm = 0;
            for (int e = 0; e < n; e++) norm += vi[e] * vi[e];
            norm = Math.Sqrt(norm);
            for (int e = 0; e < n; e++) vi[e] /= norm;
        }
        return v;
    }

    private static void Write(double[] v, Span<float> dst, int rows, int cols, bool transpose)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                dst[r * cols + c] = (float)(transpose ? v[c * rows + r] : v[r * cols + c]);
    }
}

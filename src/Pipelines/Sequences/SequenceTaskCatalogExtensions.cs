using DlBook.Pipelines.Sequences;
using Microsoft.ML.Data;

// In ML.NET's namespace, as ML.NET's own extension packages declare theirs: `using Microsoft.ML;` finds them.
namespace Microsoft.ML;

/// <summary>
/// Synthetic long-range-dependency tasks as ML.NET data views, generated from a seed (no files): the adding problem
/// and the memory task, the standard tests of whether a recurrent net carries information across many steps.
/// </summary>
public static class SequenceTaskCatalogExtensions
{
    /// <summary>
    /// The adding problem (Hochreiter &amp; Schmidhuber 1997): <c>Features</c> is a <c>Vector&lt;Single, T, 2&gt;</c> of
    /// (value ~ U(0, 1), marker) pairs with exactly two markers set to 1 — one in the first half, one in the second —
    /// and <c>Label</c> (Single) is the sum of the two marked values. Predicting 1 everywhere gives a mean squared error
    /// of about 0.167; a net that solves it gets below 0.01.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="rows">Rows to generate.</param>
    /// <param name="length">The sequence length T (at least 2).</param>
    /// <param name="seed">The seed: the same seed gives the same rows.</param>
    public static IDataView LoadAddingProblem(this DataOperationsCatalog catalog, int rows, int length, int seed)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return SequenceTasks.AddingProblem(rows, length, seed);
    }

    /// <summary>
    /// The memory task: the first of <paramref name="length"/> steps shows one of <paramref name="symbols"/> symbols
    /// (one-hot), the other steps noise symbols from another alphabet of the same size; <c>Label</c> is the first
    /// symbol as a key (1 … symbols). <c>Features</c> is a <c>Vector&lt;Single, T, 2·symbols&gt;</c>. Guessing gives
    /// accuracy 1/symbols; the net must carry the first step through all the others.
    /// </summary>
    public static IDataView LoadMemoryTask(this DataOperationsCatalog catalog, int rows, int length, int seed, int symbols = 8)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return SequenceTasks.MemoryTask(rows, length, seed, symbols);
    }
}

using DlBook.Engine.Tensors;
using DlBook.Pipelines.Bridge;
using DlBook.Trainers.Training.Adapters;

namespace DlBook.Trainers.Language;

/// <summary>
/// A text cut into non-overlapping windows for next-character prediction: row i holds the T + 1 character ids starting
/// at i·T, so its inputs are ids 0 … T−1 and its targets ids 1 … T. The rows are held in memory as an engine table.
/// </summary>
internal static class CharacterWindows
{
    /// <summary>The windows of <paramref name="ids"/>; a tail shorter than T + 1 ids is left out.</summary>
    public static TrainingRows Rows(ReadOnlySpan<int> ids, int steps, string what)
    {
        int rows = ids.Length > steps ? (ids.Length - 1) / steps : 0;
        var features = new float[rows * (steps + 1)];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j <= steps; j++) features[r * (steps + 1) + j] = ids[r * steps + j];
        var table = new EngineTable(rows, [steps + 1], features, null, 1f, null, null, null);
        return TrainingRows.FromTable(table, new BridgeColumns("Characters", null, LabelKind.None, what));
    }

    /// <summary>Splits each window into its inputs [count, T] and its next-character targets [count, T].</summary>
    public sealed class Adapter(int steps) : IBatchAdapter
    {
        private float[] _rows = [];

        /// <inheritdoc />
        public int[] InputShape { get; } = [steps];
        /// <inheritdoc />
        public int TargetSize => steps;
        /// <inheritdoc />
        public bool IsClassification => false;

        /// <inheritdoc />
        public void Fill(EngineTable table, int[]? order, int start, int count, Tensor inputs, Tensor targets)
        {
            int width = steps + 1;
            if (_rows.Length < count * width) _rows = new float[count * width];
            table.GatherFeatures(order, start, count, _rows);
            var x = inputs.Span;
            var y = targets.Span;
            for (int r = 0; r < count; r++)
            {
                var row = _rows.AsSpan(r * width, width);
                row[..steps].CopyTo(x.Slice(r * steps, steps));
                row[1..].CopyTo(y.Slice(r * steps, steps));
            }
        }

        /// <inheritdoc />
        public int CountCorrect(Tensor logits, Tensor targets) => 0;
    }
}

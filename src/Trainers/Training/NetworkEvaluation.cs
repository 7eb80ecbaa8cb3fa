using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Tensors;
using DlBook.Pipelines.Bridge;
using DlBook.Trainers.Training.Adapters;

namespace DlBook.Trainers.Training;

/// <summary>Mean loss and accuracy of a network on rows the bridge read, in inference mode (what validation reports).</summary>
public static class NetworkEvaluation
{
    /// <summary>Evaluates <paramref name="network"/> on every row of <paramref name="data"/>; accuracy is NaN for regression.</summary>
    public static (double Loss, double Accuracy, long Rows) Evaluate(Sequential network, ILoss loss, IBatchAdapter adapter, TrainingRows data,
        int batchSize = 1000, CancellationToken cancellation = default)
    {
        var x = new Tensor([batchSize, .. adapter.InputShape]);
        var y = new Tensor(batchSize, adapter.TargetSize);
        var dz = new Tensor(batchSize, adapter.TargetSize);
        double lossSum = 0;
        long rows = 0, correct = 0;
        foreach (var (table, _) in data.Chunks())
        {
            for (int start = 0; start < table.Rows; start += batchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                int n = Math.Min(batchSize, table.Rows - start);
                x.ResizeRows(n);
                y.ResizeRows(n);
                dz.ResizeRows(n);
                adapter.Fill(table, null, start, n, x, y);
                var logits = network.Forward(x, training: false);
                lossSum += (double)loss.Compute(logits, y, dz) * n;
                correct += adapter.CountCorrect(logits, y);
                rows += n;
            }
        }
        if (rows == 0) throw new InvalidDataException("The evaluation data produced no rows.");
        return (lossSum / rows, adapter.IsClassification ? (double)correct / rows : double.NaN, rows);
    }
}

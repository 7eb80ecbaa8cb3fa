using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Tensors;
using DlBook.Pipelines.Data;
using DlBook.Trainers.Training.Adapters;

namespace DlBook.Trainers.Training;

/// <summary>Mean loss and accuracy of a network on a data view, in inference mode (what validation reports).</summary>
public static class NetworkEvaluation
{
    /// <summary>Evaluates <paramref name="network"/> on every row of <paramref name="data"/>; accuracy is NaN for regression.</summary>
    public static (double Loss, double Accuracy, long Rows) Evaluate(Sequential network, ILoss loss, IBatchAdapter adapter, IDataView data,
        int batchSize = 1000, CancellationToken cancellation = default)
    {
        var x = new Tensor([batchSize, .. adapter.InputShape]);
        var y = new Tensor(batchSize, adapter.TargetSize);
        var dz = new Tensor(batchSize, adapter.TargetSize);
        double lossSum = 0;
        long rows = 0, correct = 0;
        foreach (var batch in data.GetBatches(new BatchOptions { BatchSize = batchSize, Columns = adapter.Columns }))
        {
            cancellation.ThrowIfCancellationRequested();
            int n = batch.RowCount;
            x.ResizeRows(n);
            y.ResizeRows(n);
            dz.ResizeRows(n);
            adapter.Fill(batch, 0, n, x, y);
            var logits = network.Forward(x, training: false);
            lossSum += (double)loss.Compute(logits, y, dz) * n;
            correct += adapter.CountCorrect(logits, y);
            rows += n;
        }
        if (rows == 0) throw new InvalidDataException("The evaluation data produced no rows.");
        return (lossSum / rows, adapter.IsClassification ? (double)correct / rows : double.NaN, rows);
    }
}

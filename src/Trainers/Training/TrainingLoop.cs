using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Engine.Tensors;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;

namespace DlBook.Trainers.Training;

/// <summary>
/// The one training loop of every trainer: per epoch a seeded shuffle, mini-batches, forward, loss,
/// backward, L2, clipping, optimiser step, then the epoch's callbacks; the schedule sets η per epoch.
/// It knows nothing of MLPs: the network, the loss and the batch adapter come from the trainer.
/// </summary>
public static class TrainingLoop
{
    // Bytes of input fetched from the data view at a time; mini-batches are cut from each fetch. Below the
    // large-object threshold (85,000 bytes) the view's fresh batch buffers stay in gen 0, whose memory the GC
    // reuses while it is still in cache; 4,096-row fetches of MNIST (12.8 MB each) cost more than the steps
    // themselves in zeroing, page faults and gen-2 collections.
    private const int FetchBytes = 64 * 1024;

    /// <summary>Trains <see cref="TrainingSetup.Network"/> in place and returns the history.</summary>
    public static TrainingHistory Run(TrainingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (setup.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(setup), $"Epochs must be at least 1 (got {setup.Epochs}).");
        if (setup.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(setup), $"BatchSize must be at least 1 (got {setup.BatchSize}).");

        var net = setup.Network;
        var adapter = setup.Adapter;
        var parameters = net.Parameters;
        int bs = setup.BatchSize;
        int rowBytes = Math.Max(1, adapter.InputShape.Aggregate(1, (a, d) => a * d) * sizeof(float));
        int fetch = Math.Max(bs, FetchBytes / rowBytes / bs * bs);
        var x = new Tensor([bs, .. adapter.InputShape]);
        var y = new Tensor(bs, adapter.TargetSize);
        var dz = new Tensor(bs, adapter.TargetSize);
        var history = new TrainingHistory();
        var state = new TrainingState(net, setup.Loss, adapter, setup.Epochs, setup.Data.RowCount, history, setup.Context,
            setup.Source, setup.Cancellation);
        var callbacks = setup.Callbacks;
        var data = ResidentData.TryLoad(setup, fetch);
        var order = data is null ? null : new int[data.Rows];

        foreach (var cb in callbacks) cb.OnTrainingStart(state);
        for (int epoch = 0; epoch < setup.Epochs; epoch++)
        {
            setup.Cancellation.ThrowIfCancellationRequested();
            float lr = setup.Schedule?.Rate(setup.LearningRate, epoch, setup.Epochs) ?? setup.LearningRate;
            state.Epoch = epoch + 1;
            state.Step = 0;
            state.SamplesDone = 0;
            state.LossSum = 0;
            state.Correct = 0;
            state.LearningRate = lr;
            state.CurrentEpoch = null;
            var options = new BatchOptions
            {
                BatchSize = fetch,
                Columns = adapter.Columns,
                ShuffleSeed = setup.Shuffle ? EpochSeed(setup.Seed, epoch) : null,
            };
            state.EpochClock.Restart();
            foreach (var (batch, resident) in Batches(setup.Data, options, data, order, setup.Shuffle ? EpochSeed(setup.Seed, epoch) : null))
            {
                for (int start = 0; start < batch.RowCount; start += bs)
                {
                    int count = Math.Min(bs, batch.RowCount - start);
                    if (x.Rows != count)
                    {
                        x.ResizeRows(count);
                        y.ResizeRows(count);
                        dz.ResizeRows(count);
                    }
                    if (resident) data!.Gather(order!, start, count, x, y);
                    else adapter.Fill(batch, start, count, x, y);
                    var logits = net.Forward(x, training: true);
                    float loss = setup.Loss.Compute(logits, y, dz);
                    state.Step++;
                    if (!float.IsFinite(loss)) throw new TrainingDivergedException(state.Epoch, state.Step, loss, lr);
                    state.Correct += adapter.CountCorrect(logits, y);
                    net.Backward(dz);
                    if (setup.L2PerSample > 0) L2Regularization.AddToGradients(parameters, setup.L2PerSample);
                    if (setup.ClipNorm is float norm) GradientClipping.ByGlobalNorm(parameters, norm);
                    if (setup.ClipValue is float value) GradientClipping.ByValue(parameters, value);
                    setup.Optimizer.Step(parameters, lr);
                    state.SamplesDone += count;
                    state.LossSum += (double)loss * count;
                    for (int i = 0; i < callbacks.Count; i++) callbacks[i].OnBatchEnd(state);
                    setup.Cancellation.ThrowIfCancellationRequested();
                }
            }
            state.EpochClock.Stop();
            if (state.SamplesDone == 0)
                throw new InvalidDataException("The training data produced no rows. Check the data view (file, split, filters).");
            var record = new EpochRecord
            {
                Epoch = state.Epoch,
                TrainLoss = state.RunningLoss,
                TrainAccuracy = state.RunningAccuracy,
                LearningRate = lr,
                Seconds = state.EpochClock.Elapsed.TotalSeconds,
                Samples = state.SamplesDone,
            };
            state.CurrentEpoch = record;
            history.Add(record);
            foreach (var cb in callbacks) cb.OnEpochEnd(state);
            if (state.StopRequested)
            {
                history.StoppedEarly = epoch < setup.Epochs - 1;
                state.Log(LogLevel.Info, $"Stopped after epoch {state.Epoch}: {state.StopReason}");
                break;
            }
        }
        foreach (var cb in callbacks) cb.OnTrainingEnd(state);
        return history;
    }

    /// <summary>
    /// The epoch's batches: from the resident copy, one pseudo-batch spanning every row with the rows' order
    /// permuted in <paramref name="order"/> (gathered by the caller, step by step), or the view's shuffled batches.
    /// </summary>
    private static IEnumerable<(DataBatch Batch, bool Resident)> Batches(IDataView view, BatchOptions options, ResidentData? data, int[]? order, ulong? shuffleSeed)
    {
        if (data is null)
        {
            foreach (var b in view.GetBatches(options)) yield return (b, false);
            yield break;
        }
        for (int i = 0; i < order!.Length; i++) order[i] = i;
        // The permutation the data views use for BatchOptions.ShuffleSeed (identity, then the seeded Fisher–Yates).
        if (shuffleSeed is ulong seed) new Rng(seed).Shuffle<int>(order);
        yield return (new DataBatch(data.Rows, new Dictionary<string, ColumnData>(), 0), true);
    }

    /// <summary>The training set's inputs and targets as the adapter fills them, row after row, in the view's order.</summary>
    private sealed class ResidentData
    {
        private readonly float[] _inputs;
        private readonly float[] _targets;
        private readonly int _inputSize;
        private readonly int _targetSize;

        private ResidentData(int rows, int inputSize, int targetSize)
        {
            Rows = rows;
            _inputSize = inputSize;
            _targetSize = targetSize;
            // Every element is written by TryLoad before it is read: skip the zeroing (and the page faults it costs up front).
            _inputs = GC.AllocateUninitializedArray<float>(checked(rows * inputSize));
            _targets = GC.AllocateUninitializedArray<float>(checked(rows * targetSize));
        }

        public int Rows { get; }

        public static ResidentData? TryLoad(TrainingSetup setup, int fetch)
        {
            var adapter = setup.Adapter;
            int inputSize = adapter.InputShape.Aggregate(1, (a, d) => a * d);
            if (setup.Data.RowCount is not long rows || rows == 0 || rows > Array.MaxLength / Math.Max(inputSize, 1)) return null;
            if (rows * (inputSize + adapter.TargetSize) * (long)sizeof(float) > setup.ResidentDataLimitBytes) return null;
            var data = new ResidentData((int)rows, inputSize, adapter.TargetSize);
            var x = new Tensor([fetch, .. adapter.InputShape]);
            var y = new Tensor(fetch, adapter.TargetSize);
            int filled = 0;
            foreach (var batch in setup.Data.GetBatches(new BatchOptions { BatchSize = fetch, Columns = adapter.Columns }))
            {
                setup.Cancellation.ThrowIfCancellationRequested();
                if (filled + batch.RowCount > rows)
                    throw new InvalidDataException($"The training data view produced more rows than its RowCount ({rows}).");
                x.ResizeRows(batch.RowCount);
                y.ResizeRows(batch.RowCount);
                adapter.Fill(batch, 0, batch.RowCount, x, y);
                x.Span.CopyTo(data._inputs.AsSpan(filled * inputSize));
                y.Span.CopyTo(data._targets.AsSpan(filled * adapter.TargetSize));
                filled += batch.RowCount;
            }
            return filled == rows ? data : throw new InvalidDataException($"The training data view produced {filled} rows but said it had {rows}.");
        }

        /// <summary>Rows order[start..start+count) into x ([count, ..]) and y ([count, targets]).</summary>
        public void Gather(int[] order, int start, int count, Tensor x, Tensor y)
        {
            var xs = x.Span;
            var ys = y.Span;
            for (int i = 0; i < count; i++)
            {
                int r = order[start + i];
                _inputs.AsSpan(r * _inputSize, _inputSize).CopyTo(xs.Slice(i * _inputSize, _inputSize));
                _targets.AsSpan(r * _targetSize, _targetSize).CopyTo(ys.Slice(i * _targetSize, _targetSize));
            }
        }
    }

    /// <summary>The shuffle seed of an epoch: a fixed function of the run's seed and the epoch, so a run can be replayed.</summary>
    public static ulong EpochSeed(ulong seed, int epoch) => new Rng(seed ^ (0x9E3779B97F4A7C15UL * (ulong)(epoch + 1))).NextUInt64();
}

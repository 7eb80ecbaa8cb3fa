using DlBook.Engine.Activations;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Optimizers;
using DlBook.Engine.Random;
using DlBook.Pipelines.Core;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Loaders.Text;
using DlBook.Trainers.Training;
using DlBook.Trainers.Training.Adapters;

namespace DlBook.Trainers.Tests.Training;

/// <summary>
/// The loop holds a training set that fits <see cref="TrainingSetup.ResidentDataLimitBytes"/> in memory and gathers the
/// shuffled mini-batches itself; it must produce the very batches the data view's own shuffle gives, so the two paths
/// train to the same bits.
/// </summary>
public sealed class ResidentDataTests
{
    private static (float[][] Weights, TrainingHistory History) Train(IDataView data, long residentLimit, bool shuffle, int batchSize)
    {
        var loss = LossFactory.Create("CrossEntropy");
        var net = new Sequential(NetworkBuilder.Mlp(784, [30], 10, Activation.Sigmoid, "Normal1OverFanIn", "StandardNormal"), [784], loss.OutputActivation, new Rng(5));
        var history = TrainingLoop.Run(new TrainingSetup
        {
            Network = net, Loss = loss, Optimizer = OptimizerFactory.Create("Sgd"), LearningRate = 0.1f, L2PerSample = 5f / 3_000,
            Epochs = 2, BatchSize = batchSize, Seed = 11, Data = data, Shuffle = shuffle, ResidentDataLimitBytes = residentLimit,
            Adapter = new OneHotKeyAdapter("Features", "Label", [784], 10),
        });
        return (net.Parameters.Select(p => p.Value.Span.ToArray()).ToArray(), history);
    }

    [Theory]
    [InlineData(true, 10)]
    [InlineData(true, 7)]      // 3,000 rows: a last partial mini-batch of 4
    [InlineData(false, 10)]
    public void ResidentAndStreamedTrainingGiveBitIdenticalWeights(bool shuffle, int batchSize)
    {
        var data = MnistData.TrainRows(0, 3_000);
        var (resident, h1) = Train(data, residentLimit: 1L << 30, shuffle, batchSize);
        var (streamed, h2) = Train(data, residentLimit: 0, shuffle, batchSize);
        Assert.Equal(h1.Epochs.Select(e => e.TrainLoss), h2.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(3_000, h1.Last!.Samples);
        for (int i = 0; i < resident.Length; i++)
            Assert.True(resident[i].AsSpan().SequenceEqual(streamed[i]), $"parameter {i} differs between the resident and the streamed path");
    }

    [Fact]
    public void AViewThatCannotCountItsRowsIsStreamed()
    {
        // A streaming CSV view does not know its row count before a full read: the loop must not need it.
        var dir = Directory.CreateTempSubdirectory("dlbook-resident-").FullName;
        try
        {
            var csv = Path.Combine(dir, "xor.csv");
            var rng = new Rng(2);
            File.WriteAllLines(csv, ["a,b,Label", .. Enumerable.Range(0, 200).Select(_ =>
            {
                int a = rng.NextInt(2), b = rng.NextInt(2);
                return $"{a},{b},{a ^ b}";
            })]);
            var ctx = new DlContext(seed: 1);
            var view = ctx.Data.LoadFromTextFile(csv, [new TextLoaderColumn("Features", DataKind.Single, 0, 1), new TextLoaderColumn("Label", DataKind.Single, 2)],
                separatorChar: ',', hasHeader: true);
            Assert.Null(view.RowCount);
            var keyed = ctx.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
            var loss = LossFactory.Create("SoftmaxCrossEntropy");
            var net = new Sequential(NetworkBuilder.Mlp(2, [8], 2, Activation.Tanh, "GlorotUniform", "Zeros"), [2], loss.OutputActivation, new Rng(1));
            var history = TrainingLoop.Run(new TrainingSetup
            {
                Network = net, Loss = loss, Optimizer = OptimizerFactory.Create("Adam"), LearningRate = 0.05f, Epochs = 3, BatchSize = 16, Seed = 3,
                Data = keyed, Adapter = new OneHotKeyAdapter("Features", "Label", [2], 2),
            });
            Assert.Equal(200, history.Last!.Samples);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

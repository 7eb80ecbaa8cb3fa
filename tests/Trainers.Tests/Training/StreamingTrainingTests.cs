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

/// <summary>The loop streams its data: a view that only knows its row count after a full read still trains on every row.</summary>
public sealed class StreamingTrainingTests
{
    [Fact]
    public void ACsvViewThatCannotCountItsRowsTrainsOnEveryRow()
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

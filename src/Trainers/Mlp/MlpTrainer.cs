using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Networks;
using Microsoft.ML.Runtime;

namespace DlBook.Trainers.Mlp;

/// <summary>
/// Trains a multi-layer perceptron as an ML.NET estimator — <c>mlContext.MulticlassClassification.Trainers.Mlp(options)</c>,
/// and the same on <c>BinaryClassification</c> and <c>Regression</c>: Dense layers of <see cref="MlpOptions.HiddenLayers"/>
/// over the flattened feature vector, on the one training loop of <see cref="NetworkTrainer{TOptions}"/>.
/// </summary>
public sealed class MlpTrainer : NetworkTrainer<MlpOptions>
{
    internal MlpTrainer(IHostEnvironment env, PredictionKind task, MlpOptions options) : base(env, task, options) { }

    private protected override TrainerKind Kind => TrainerKind.Mlp;

    private protected override string LossName() => Options.Cost.ToString();

    private protected override NetworkDesign Design(int[] featureShape, int outputs, ILoss loss)
    {
        var o = Options;
        int inputSize = featureShape.Aggregate(1, (a, b) => a * b);
        var specs = NetworkBuilder.Mlp(inputSize, o.HiddenLayers, outputs, o.Activation, o.Initializer.ToString(), o.BiasInitializer.ToString(), o.Dropout, o.BatchNorm);
        return new NetworkDesign(specs, [inputSize], $"[{inputSize},{string.Join(",", o.HiddenLayers)},{outputs}] ({o.Activation}, {loss.Name}, {o.Initializer})");
    }

    private protected override void ValidateOwnOptions()
    {
        var o = Options;
        if (o.HiddenLayers is null || o.HiddenLayers.Any(h => h < 1))
            throw new ArgumentException("HiddenLayers must list positive sizes, e.g. [30] or [30, 30] ([] for none).", nameof(o.HiddenLayers));
        if (!(o.Dropout >= 0 && o.Dropout < 1)) throw new ArgumentOutOfRangeException(nameof(o.Dropout), o.Dropout, $"Dropout must be in [0, 1) (got {o.Dropout}).");
        if (Engine.Activations.ActivationFunctions.IsRowWise(o.Activation))
            throw new ArgumentException($"{o.Activation} is an output activation, not a hidden one; use Sigmoid, Tanh, ReLU, …", nameof(o.Activation));
        if (Task != PredictionKind.Regression && o.Cost == Cost.SoftmaxCrossEntropy && Task == PredictionKind.BinaryClassification)
            throw new ArgumentException($"Cost {o.Cost} needs several outputs; a {Task} MLP has one. Use Cost.CrossEntropy.", nameof(o.Cost));
    }
}

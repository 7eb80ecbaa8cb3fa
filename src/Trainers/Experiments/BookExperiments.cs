using DlBook.Engine.Activations;
using DlBook.Engine.Diagnostics;
using DlBook.Engine.Losses;
using DlBook.Engine.Networks;
using DlBook.Engine.Random;
using DlBook.Pipelines.Bridge;
using Microsoft.ML;
using Microsoft.ML.Transforms;
using DlBook.Trainers.Training.Callbacks;
using DlBook.Trainers.Mlp;
using DlBook.Trainers.Training.Adapters;

namespace DlBook.Trainers.Experiments;

/// <summary>
/// The book's MNIST experiments (chapters 25 and 34, after Nielsen's network2.py and
/// generate_gradient.py), run with this library. The CLI's <c>diagnose</c> and the figures in
/// models/book-mlp.md come from here.
/// </summary>
/// <param name="ml">The ML.NET context the experiments run in (its log).</param>
/// <param name="mnistTraining">The 60,000 MNIST training images as <c>ml.Data.LoadFromIdx</c> gives them: "Features" (784 floats in 0..1) and a Single "Label" (the digit).</param>
public sealed class BookExperiments(MLContext ml, IDataView mnistTraining)
{
    /// <summary>The book's training rows (the first 50,000; the last 10,000 are the validation set).</summary>
    public const int TrainingRows = 50_000;
    /// <summary>The book's weight initialiser, N(0, 1/n_in).</summary>
    public const Initializer DefaultInit = Initializer.Normal1OverFanIn;
    /// <summary>Chapter 1's "large" initialiser, N(0, 1), used for weights and biases.</summary>
    public const Initializer LargeInit = Initializer.StandardNormal;

    // Digit d ↔ key d + 1 (keys by value, not by first occurrence), so class index d is digit d as in the book.
    private readonly ITransformer _keys = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
        .Fit(ml.Data.TakeRows(mnistTraining, TrainingRows));

    /// <summary>The first 50,000 training images, the label mapped to a key (digit d ↔ class d).</summary>
    public IDataView Training => _keys.Transform(ml.Data.TakeRows(mnistTraining, TrainingRows));

    /// <summary>The last 10,000 training images (the book's validation_data), mapped like <see cref="Training"/>.</summary>
    public IDataView Validation => _keys.Transform(ml.Data.SkipRows(mnistTraining, TrainingRows));

    /// <summary>
    /// ‖mean δˡ‖ (= ‖∂C/∂bˡ‖ of the cost averaged over the first <paramref name="samples"/> training images) per
    /// hidden layer at initialisation — N(0,1/n_in) weights, N(0,1) biases, sigmoid, cross-entropy — mean and
    /// spread over <paramref name="seeds"/> seeds.
    /// </summary>
    public LearningSpeedStats LearningSpeedAtInit(int[] sizes, int seeds = 10, int samples = 1000, int firstSeed = 1)
    {
        var (inputs, hidden, outputs) = Split(sizes);
        var loss = LossFactory.Create("CrossEntropy");
        var adapter = new OneHotKeyAdapter([inputs], outputs);
        using var rows = Pipelines.Bridge.TrainingRows.Open(ml.Data.TakeRows(Training, samples), new BridgeColumns("Features", "Label", LabelKind.Key, "The learning-speed measurement"));
        var (x, y) = GradientMonitorCallback.FirstRows(rows, adapter, samples);
        var seedList = Enumerable.Range(firstSeed, seeds).ToArray();
        var perSeed = seedList.Select(seed =>
        {
            var net = new Sequential(NetworkBuilder.Mlp(inputs, hidden, outputs, Activation.Sigmoid, DefaultInit.ToString(), "StandardNormal"),
                [inputs], loss.OutputActivation, new Rng((ulong)seed));
            return LearningSpeed.HiddenBiasNorms(LearningSpeed.Measure(net, loss, x, y));
        }).ToArray();
        var mean = new double[hidden.Length];
        var std = new double[hidden.Length];
        for (int l = 0; l < hidden.Length; l++)
        {
            var v = perSeed.Select(s => s[l]).ToArray();
            mean[l] = v.Average();
            std[l] = v.Length > 1 ? Math.Sqrt(v.Sum(a => (a - mean[l]) * (a - mean[l])) / (v.Length - 1)) : 0;
        }
        return new LearningSpeedStats(sizes, x.Rows, seedList, mean, std, perSeed);
    }

    /// <summary>
    /// Chapter 34's training-speed curves: <paramref name="epochs"/> epochs of full-batch gradient descent on the
    /// first <paramref name="samples"/> training images (η = 0.1, λ = 5.0), the hidden layers' ‖mean δˡ‖ recorded
    /// before every epoch (as generate_gradient.py does) and after the last.
    /// </summary>
    public TrainingSpeedCurve TrainingSpeedCurves(int[] sizes, int epochs = 500, int samples = 1000, int seed = 1)
    {
        var (_, hidden, _) = Split(sizes);
        var subset = ml.Data.TakeRows(Training, samples);
        var model = ml.MulticlassClassification.Trainers.Mlp(new MlpOptions
        {
            HiddenLayers = hidden,
            Epochs = epochs,
            BatchSize = samples,
            LearningRate = 0.1f,
            L2 = 5.0f,
            GradientMonitorSamples = samples,
            MonitorGradients = true,
            Seed = seed,
        }).Fit(subset);
        var history = model.History!;
        var rows = new List<double[]> { LearningSpeed.HiddenBiasNorms(history.InitialLearningSpeeds!) };
        rows.AddRange(history.Epochs.Select(e => LearningSpeed.HiddenBiasNorms(e.LearningSpeeds!)));
        return new TrainingSpeedCurve(sizes, seed, rows.ToArray());
    }

    /// <summary>
    /// One run of chapter 34's table: train on the first 50,000 images, validate on the last 10,000; sigmoid,
    /// cross-entropy, N(0,1/n_in) weights, mini-batch 10, η = 0.1, λ = 5.0, <paramref name="epochs"/> epochs (30).
    /// </summary>
    public BookRunResult Chapter34Table(int[] sizes, int seed, int epochs = 30) => BookRun(sizes, DefaultInit, seed, epochs);

    /// <summary>
    /// Chapter 25's initialisation comparison: the same training as chapter 34 with weights (and biases) from
    /// N(0,1) (<see cref="LargeInit"/>) or N(0,1/n_in) weights with N(0,1) biases (<see cref="DefaultInit"/>).
    /// </summary>
    public BookRunResult Chapter25InitComparison(int[] sizes, Initializer initializer, int seed, int epochs = 30) =>
        BookRun(sizes, initializer, seed, epochs);

    private BookRunResult BookRun(int[] sizes, Initializer initializer, int seed, int epochs)
    {
        var (_, hidden, _) = Split(sizes);
        var model = ml.MulticlassClassification.Trainers.Mlp(new MlpOptions
        {
            HiddenLayers = hidden,
            Initializer = initializer,
            BiasInitializer = Initializer.StandardNormal,
            Epochs = epochs,
            BatchSize = 10,
            LearningRate = 0.1f,
            L2 = 5.0f,
            ValidationSet = Validation,
            MonitorGradients = false,
            Seed = seed,
        }).Fit(Training);
        var h = model.History!;
        double seconds = h.Epochs.Sum(e => e.Seconds);
        return new BookRunResult(sizes, initializer.ToString(), seed, h.Epochs.Select(e => e.ValidationAccuracy ?? double.NaN).ToArray(),
            seconds, h.Epochs.Sum(e => e.Samples) / seconds);
    }

    private static (int Inputs, int[] Hidden, int Outputs) Split(int[] sizes)
    {
        if (sizes is null || sizes.Length < 2 || sizes.Any(s => s < 1))
            throw new ArgumentException($"Layer sizes must be at least [inputs, outputs] with positive sizes, e.g. [784, 30, 10]; got [{string.Join(", ", sizes ?? [])}].");
        if (sizes[0] != 784 || sizes[^1] != 10)
            throw new ArgumentException($"The book's MNIST networks take 784 inputs and give 10 outputs; got [{string.Join(", ", sizes)}].");
        return (sizes[0], sizes[1..^1], sizes[^1]);
    }
}

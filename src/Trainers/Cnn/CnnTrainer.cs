using DlBook.Engine.Layers;
using DlBook.Engine.Losses;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Networks;
using Microsoft.ML.Runtime;

namespace DlBook.Trainers.Cnn;

/// <summary>
/// Trains a convolutional network on images as an ML.NET estimator — <c>mlContext.BinaryClassification.Trainers.Cnn(options)</c>
/// and <c>MulticlassClassification.Trainers.Cnn(...)</c>: <see cref="CnnOptions.ConvBlocks"/> → Flatten (or global
/// average pooling) → Dense head, on the one training loop of <see cref="NetworkTrainer{TOptions}"/>.
/// </summary>
public sealed class CnnTrainer : NetworkTrainer<CnnOptions>
{
    internal CnnTrainer(IHostEnvironment env, PredictionKind task, CnnOptions options) : base(env, task, options) { }

    private protected override TrainerKind Kind => TrainerKind.Cnn;

    private protected override string LossName() => Task == PredictionKind.MulticlassClassification ? "SoftmaxCrossEntropy" : "CrossEntropy";

    private protected override NetworkDesign Design(int[] featureShape, int outputs, ILoss loss)
    {
        var o = Options;
        int size = featureShape.Aggregate(1, (a, b) => a * b);
        int[] input = o.ImageShape ?? featureShape;
        if (input.Length != 3 || input.Aggregate(1, (a, b) => a * b) != size)
            throw new SchemaException(o.ImageShape is null
                ? $"The CNN reads feature column '{o.FeatureColumnName}' as images [C, H, W], but its shape is [{string.Join(", ", featureShape)}]. " +
                  "Build it with ExtractPixels (or LoadDlBookImages), which give Vector<Single, 3, H, W>, or set ImageShape."
                : $"ImageShape [{string.Join(", ", input)}] holds {input.Aggregate(1, (a, b) => a * b)} values; feature column '{o.FeatureColumnName}' holds {size}.");
        string act = o.Activation.ToString(), init = o.Initializer.ToString();
        var specs = new List<LayerSpec>();
        for (int i = 0; i < o.ConvBlocks.Count; i++)
        {
            var b = o.ConvBlocks[i];
            int n = i + 1;
            specs.Add(new LayerSpec { Kind = LayerKinds.Conv2d, Name = $"conv{n}" }.With("filters", b.Filters).With("kernel", b.Kernel)
                .With("padding", b.Padding).With("bias", !b.BatchNorm).With("init", init).With("biasInit", "Zeros"));
            if (b.BatchNorm) specs.Add(new LayerSpec { Kind = LayerKinds.BatchNorm2d, Name = $"bn{n}" });
            specs.Add(new LayerSpec { Kind = LayerKinds.Activation, Name = $"act{n}" }.With("activation", act));
            if (b.Pool > 1) specs.Add(new LayerSpec { Kind = LayerKinds.MaxPool2d, Name = $"pool{n}" }.With("pool", b.Pool));
            if (b.Dropout > 0) specs.Add(new LayerSpec { Kind = LayerKinds.SpatialDropout2d, Name = $"sdropout{n}" }.With("rate", b.Dropout));
        }
        specs.Add(o.GlobalAveragePooling ? new LayerSpec { Kind = LayerKinds.GlobalAvgPool2d, Name = "gap" } : new LayerSpec { Kind = LayerKinds.Flatten, Name = "flatten" });
        for (int i = 0; i < o.DenseLayers.Length; i++)
        {
            specs.Add(new LayerSpec { Kind = LayerKinds.Dense, Name = $"dense{i + 1}" }.With("units", o.DenseLayers[i]).With("init", init).With("biasInit", "Zeros"));
            specs.Add(new LayerSpec { Kind = LayerKinds.Activation, Name = $"dact{i + 1}" }.With("activation", act));
            if (o.DenseDropout > 0) specs.Add(new LayerSpec { Kind = LayerKinds.Dropout, Name = $"dropout{i + 1}" }.With("rate", o.DenseDropout));
        }
        specs.Add(new LayerSpec { Kind = LayerKinds.Dense, Name = $"dense{o.DenseLayers.Length + 1}" }.With("units", outputs).With("init", init).With("biasInit", "Zeros"));
        string blocks = string.Join(" ", o.ConvBlocks.Select(b => $"Conv{b.Filters}×{b.Kernel}{(b.BatchNorm ? "+BN" : "")}{(b.Pool > 1 ? $"/pool{b.Pool}" : "")}"));
        return new NetworkDesign(specs, input, $"[{string.Join("×", input)}] {blocks} → Dense [{string.Join(",", o.DenseLayers)},{outputs}] ({o.Activation}, {loss.Name})");
    }

    private protected override Engine.Augmentation.ImageAugmentation? Augmentation => new()
    {
        HorizontalFlip = Options.HorizontalFlip, ShearRange = Options.ShearRange, ZoomRange = Options.ZoomRange, ShiftRange = Options.ShiftRange,
    };

    private protected override void ValidateOwnOptions()
    {
        var o = Options;
        foreach (var (name, value, max) in new[] { (nameof(o.ShearRange), o.ShearRange, 1.5f), (nameof(o.ZoomRange), o.ZoomRange, 0.9f), (nameof(o.ShiftRange), o.ShiftRange, 0.5f) })
            if (!(value >= 0 && value <= max))
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, {max}] (got {value}); the book uses 0.2 for shear and zoom.");
        if (o.ConvBlocks is null) throw new ArgumentException("ConvBlocks must list the conv blocks ([] for none).", nameof(o.ConvBlocks));
        for (int i = 0; i < o.ConvBlocks.Count; i++)
        {
            var b = o.ConvBlocks[i];
            if (b.Filters < 1 || b.Kernel < 1 || b.Pool < 0)
                throw new ArgumentOutOfRangeException(nameof(o.ConvBlocks), $"ConvBlocks[{i}]: Filters and Kernel must be at least 1 and Pool at least 0 (got {b.Filters}, {b.Kernel}, {b.Pool}).");
            if (b.Padding is not ("valid" or "same"))
                throw new ArgumentException($"ConvBlocks[{i}].Padding must be \"valid\" or \"same\" (got \"{b.Padding}\").", nameof(o.ConvBlocks));
            if (!(b.Dropout >= 0 && b.Dropout < 1))
                throw new ArgumentOutOfRangeException(nameof(o.ConvBlocks), $"ConvBlocks[{i}].Dropout must be in [0, 1) (got {b.Dropout}).");
        }
        if (o.DenseLayers is null || o.DenseLayers.Any(d => d < 1))
            throw new ArgumentException("DenseLayers must list positive sizes, e.g. [128] ([] for none).", nameof(o.DenseLayers));
        if (!(o.DenseDropout >= 0 && o.DenseDropout < 1))
            throw new ArgumentOutOfRangeException(nameof(o.DenseDropout), o.DenseDropout, $"DenseDropout must be in [0, 1) (got {o.DenseDropout}).");
        if (Engine.Activations.ActivationFunctions.IsRowWise(o.Activation))
            throw new ArgumentException($"{o.Activation} is an output activation, not a hidden one; use Relu, LeakyRelu, Elu, …", nameof(o.Activation));
    }
}

using DlBook.Engine.Layers;
using DlBook.Engine.Losses;
using DlBook.Pipelines.Data;
using DlBook.Pipelines.Schema;
using DlBook.Trainers.Networks;
using Microsoft.ML.Runtime;

namespace DlBook.Trainers.Recurrent;

/// <summary>
/// Trains a recurrent network as an ML.NET estimator — <c>mlContext.Regression.Trainers.Recurrent(options)</c>, and the
/// same on <c>BinaryClassification</c> and <c>MulticlassClassification</c>: [Embedding →] <see cref="RecurrentOptions.Layers"/>
/// RNN, LSTM or GRU layers → a Dense output on the last state, on the one training loop of
/// <see cref="NetworkTrainer{TOptions}"/>. The gradient monitor records ‖∂C/∂h_t‖ per time step.
/// </summary>
public sealed class RecurrentTrainer : NetworkTrainer<RecurrentOptions>
{
    internal RecurrentTrainer(IHostEnvironment env, PredictionKind task, RecurrentOptions options) : base(env, task, options) { }

    private protected override TrainerKind Kind => TrainerKind.Recurrent;

    private int? _vocabulary;

    private protected override int? SequenceLength => Options.MaxSequenceLength;

    private protected override void Inspect(Microsoft.ML.DataViewSchema schema) =>
        _vocabulary = Options.VocabularySize ?? (Options.MaxSequenceLength is null ? null
            : Pipelines.Bridge.TokenSequences.VocabularySize(schema[Options.FeatureColumnName].Type)
              ?? throw new SchemaException($"Feature column '{Options.FeatureColumnName}' holds Single token ids; set VocabularySize (the largest id + 1)."));

    private protected override string LossName() => Task == PredictionKind.MulticlassClassification ? "SoftmaxCrossEntropy" : "CrossEntropy";

    private protected override NetworkDesign Design(int[] featureShape, int outputs, ILoss loss)
    {
        var o = Options;
        int size = featureShape.Aggregate(1, (a, b) => a * b);
        var specs = new List<LayerSpec>();
        int[] input;
        string what;
        if (_vocabulary is int vocab)
        {
            input = [size];
            specs.Add(new LayerSpec { Kind = LayerKinds.Embedding, Name = "embedding" }
                .With("vocab", vocab).With("dim", o.EmbeddingDimension).With("paddingIndex", o.PaddingIndex ?? (o.MaxSequenceLength is null ? -1 : 0)));
            what = $"{size} tokens of {vocab:N0} → Embedding {o.EmbeddingDimension}";
        }
        else
        {
            input = featureShape.Length == 2 ? featureShape : [size / o.StepFeatures, o.StepFeatures];
            if (featureShape.Length != 2 && size % o.StepFeatures != 0)
                throw new SchemaException($"Feature column '{o.FeatureColumnName}' holds {size} values, not a whole number of steps of StepFeatures = {o.StepFeatures}. " +
                    "Set StepFeatures to the values per time step, or shape the column as Vector<Single, T, F>.");
            what = $"[{input[0]} steps × {input[1]}]";
        }
        string kind = o.CellType switch { RecurrentCellType.Rnn => LayerKinds.SimpleRnn, RecurrentCellType.Gru => LayerKinds.Gru, _ => LayerKinds.Lstm };
        for (int l = 0; l < o.Layers; l++)
        {
            var spec = new LayerSpec { Kind = kind, Name = $"{o.CellType.ToString().ToLowerInvariant()}{l + 1}" }
                .With("units", o.HiddenSize).With("returnSequences", l < o.Layers - 1).With("bidirectional", o.Bidirectional)
                .With("bpttSteps", o.BpttSteps).With("init", o.Initializer.ToString()).With("recurrentInit", o.RecurrentInitializer.ToString())
                .With("biasInit", "Zeros");
            if (o.CellType == RecurrentCellType.Rnn) spec.With("activation", o.RnnActivation.ToString());
            specs.Add(spec);
        }
        specs.Add(new LayerSpec { Kind = LayerKinds.Dense, Name = "dense1" }.With("units", outputs).With("init", "GlorotUniform").With("biasInit", "Zeros"));
        return new NetworkDesign(specs, input,
            $"{what} → {o.Layers}×{(o.Bidirectional ? "bidirectional " : "")}{o.CellType} {o.HiddenSize} → Dense {outputs} ({loss.Name})");
    }

    private protected override void ValidateOwnOptions()
    {
        var o = Options;
        if (o.HiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(o.HiddenSize), o.HiddenSize, $"HiddenSize must be at least 1 (got {o.HiddenSize}).");
        if (o.Layers < 1) throw new ArgumentOutOfRangeException(nameof(o.Layers), o.Layers, $"Layers must be at least 1 (got {o.Layers}).");
        if (o.StepFeatures < 1) throw new ArgumentOutOfRangeException(nameof(o.StepFeatures), o.StepFeatures, $"StepFeatures must be at least 1 (got {o.StepFeatures}).");
        if (o.BpttSteps < 0) throw new ArgumentOutOfRangeException(nameof(o.BpttSteps), o.BpttSteps, $"BpttSteps must be 0 (all steps) or more (got {o.BpttSteps}).");
        if (o.MaxSequenceLength is int m && m < 1) throw new ArgumentOutOfRangeException(nameof(o.MaxSequenceLength), m, $"MaxSequenceLength must be at least 1 (got {m}).");
        if (o.VocabularySize is int v && v < 1) throw new ArgumentOutOfRangeException(nameof(o.VocabularySize), v, $"VocabularySize must be at least 1 (got {v}).");
        if ((o.VocabularySize is not null || o.MaxSequenceLength is not null) && o.EmbeddingDimension < 1)
            throw new ArgumentOutOfRangeException(nameof(o.EmbeddingDimension), o.EmbeddingDimension, $"EmbeddingDimension must be at least 1 (got {o.EmbeddingDimension}).");
        if (o.CellType == RecurrentCellType.Rnn && o.RnnActivation is not (Engine.Activations.Activation.Tanh or Engine.Activations.Activation.Relu))
            throw new ArgumentException($"RnnActivation must be Tanh or Relu (as ONNX's RNN has them); got {o.RnnActivation}.", nameof(o.RnnActivation));
    }
}

using DlBook.Engine.Activations;
using DlBook.Trainers.Options;

namespace DlBook.Trainers.Recurrent;

/// <summary>
/// Options of the recurrent trainer: the cell, its size and depth, and how the feature column is read as a sequence.
/// A numeric sequence is a <c>Vector&lt;Single, T, F&gt;</c> column (or a flat vector of T·<see cref="StepFeatures"/>
/// values); token ids (0 … <see cref="VocabularySize"/> − 1, as floats) go through an Embedding of
/// <see cref="EmbeddingDimension"/> first. The defaults are Keras's and PyTorch's usual ones: Adam, η = 0.001,
/// mini-batch 32, 10 epochs, gradients clipped to global norm 1.
/// </summary>
public sealed class RecurrentOptions : NetworkTrainerOptions
{
    /// <summary>Adam at η = 0.001, mini-batch 32, 10 epochs, clipping on.</summary>
    public RecurrentOptions()
    {
        Optimizer = OptimizerKind.Adam;
        LearningRate = 0.001f;
        BatchSize = 32;
        Epochs = 10;
        GradientClipNorm = 1f;
    }

    /// <summary>The cell (LSTM by default).</summary>
    public RecurrentCellType CellType { get; set; } = RecurrentCellType.Lstm;
    /// <summary>Units of each recurrent layer.</summary>
    public int HiddenSize { get; set; } = 128;
    /// <summary>Stacked recurrent layers (each but the last passes its whole sequence up).</summary>
    public int Layers { get; set; } = 1;
    /// <summary>Run every recurrent layer in both directions and concatenate.</summary>
    public bool Bidirectional { get; set; }
    /// <summary>The vanilla RNN's non-linearity: Tanh (default) or Relu.</summary>
    public Activation RnnActivation { get; set; } = Activation.Tanh;
    /// <summary>Truncated backpropagation through time: steps the gradient flows back from the end (0: all of them).</summary>
    public int BpttSteps { get; set; }
    /// <summary>Values per time step when the feature column is a flat vector (ignored for a [T, F] column).</summary>
    public int StepFeatures { get; set; } = 1;
    /// <summary>
    /// Token ids of any length in the feature column — a vector of keys, as <c>TokenizeIntoWords</c> + <c>MapValueToKey</c>
    /// make of text (or <c>TokenizeIntoCharactersAsKeys</c>) — read as this many: longer texts keep their first tokens,
    /// shorter ones are padded in front with id 0 (null: a fixed-size feature vector).
    /// </summary>
    public int? MaxSequenceLength { get; set; }
    /// <summary>Token ids in the feature column: the size of the Embedding's table (null: a numeric sequence, or, with <see cref="MaxSequenceLength"/> on a key column, the key count + 1).</summary>
    public int? VocabularySize { get; set; }
    /// <summary>Values per token of the Embedding (used with <see cref="VocabularySize"/>).</summary>
    public int EmbeddingDimension { get; set; } = 64;
    /// <summary>The token id of padding (its vector stays zero), or null for none (0 with <see cref="MaxSequenceLength"/>).</summary>
    public int? PaddingIndex { get; set; }
    /// <summary>Initialiser of the input weights W (Glorot uniform, as Keras).</summary>
    public Initializer Initializer { get; set; } = Initializer.GlorotUniform;
    /// <summary>Initialiser of the recurrent weights R (orthogonal, as Keras).</summary>
    public Initializer RecurrentInitializer { get; set; } = Initializer.Orthogonal;
}

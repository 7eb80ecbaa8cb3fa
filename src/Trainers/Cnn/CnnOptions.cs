using DlBook.Engine.Activations;
using DlBook.Trainers.Options;

namespace DlBook.Trainers.Cnn;

/// <summary>
/// Options of the CNN trainer: the conv blocks and the dense head. The feature column holds images as ML.NET's
/// <c>ExtractPixels</c> gives them, a <c>Vector&lt;Single, 3, H, W&gt;</c> (planar channels); a flat vector needs
/// <see cref="ImageShape"/>. The defaults are the book's Keras network (chapter 44): two blocks of Conv 32 3×3 ReLU +
/// MaxPool 2, Dense 128 ReLU, one sigmoid output for two classes, Adam at η = 0.001, mini-batch 32.
/// </summary>
public sealed class CnnOptions : NetworkTrainerOptions
{
    /// <summary>Adam at η = 0.001, mini-batch 32, 10 epochs, Glorot-uniform weights (as Keras).</summary>
    public CnnOptions()
    {
        Optimizer = OptimizerKind.Adam;
        LearningRate = 0.001f;
        BatchSize = 32;
        Epochs = 10;
    }

    /// <summary>The feature extractor, in order.</summary>
    public List<ConvBlock> ConvBlocks { get; set; } = [new(), new()];
    /// <summary>Sizes of the hidden Dense layers of the head (after Flatten, or after global average pooling).</summary>
    public int[] DenseLayers { get; set; } = [128];
    /// <summary>Dropout rate after each hidden Dense activation (0: none).</summary>
    public float DenseDropout { get; set; }
    /// <summary>Average each channel over the image before the head (GlobalAveragePooling2D) instead of flattening it.</summary>
    public bool GlobalAveragePooling { get; set; }
    /// <summary>Activation of the conv blocks and the hidden Dense layers.</summary>
    public Activation Activation { get; set; } = Activation.Relu;
    /// <summary>Weight initialiser (Glorot uniform, Keras's default; HeNormal suits deep ReLU nets).</summary>
    public Initializer Initializer { get; set; } = Initializer.GlorotUniform;
    /// <summary>Mirror training images left-right with probability ½ (Keras: horizontal_flip).</summary>
    public bool HorizontalFlip { get; set; }
    /// <summary>Shear training images by up to ± this angle in radians (Keras: shear_range; the book: 0.2).</summary>
    public float ShearRange { get; set; }
    /// <summary>Zoom training images by a factor in [1 − z, 1 + z] per axis (Keras: zoom_range; the book: 0.2).</summary>
    public float ZoomRange { get; set; }
    /// <summary>Shift training images by up to ± this fraction of their size (a random crop).</summary>
    public float ShiftRange { get; set; }
    /// <summary>[C, H, W] of a flat feature vector (null: read from the column's dimensions).</summary>
    public int[]? ImageShape { get; set; }
}

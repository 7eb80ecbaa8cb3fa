namespace DlBook.Trainers.Cnn;

/// <summary>
/// One block of a <see cref="CnnTrainer"/>'s feature extractor: Conv2d (<see cref="Filters"/>, <see cref="Kernel"/>)
/// → [BatchNorm2d] → activation → [MaxPool2d <see cref="Pool"/>] → [SpatialDropout2d].
/// </summary>
public sealed class ConvBlock
{
    /// <summary>Output channels of the convolution.</summary>
    public int Filters { get; set; } = 32;
    /// <summary>Square kernel size.</summary>
    public int Kernel { get; set; } = 3;
    /// <summary>"valid" (no padding, Keras's default) or "same".</summary>
    public string Padding { get; set; } = "valid";
    /// <summary>Max-pooling window and stride after the activation (0 or 1: none).</summary>
    public int Pool { get; set; } = 2;
    /// <summary>Batch normalisation between the convolution and its activation (the convolution then has no bias).</summary>
    public bool BatchNorm { get; set; }
    /// <summary>Spatial dropout rate at the end of the block (0: none).</summary>
    public float Dropout { get; set; }
}

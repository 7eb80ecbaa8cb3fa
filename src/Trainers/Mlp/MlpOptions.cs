using DlBook.Engine.Activations;
using DlBook.Trainers.Options;

namespace DlBook.Trainers.Mlp;

/// <summary>
/// Options of the MLP trainer. The defaults are the book's network2.py: sigmoid neurons,
/// cross-entropy, N(0,1/n_in) weights and N(0,1) biases, mini-batch 10, η = 0.1, 30 epochs, plain SGD.
/// </summary>
public sealed class MlpOptions : NetworkTrainerOptions
{
    /// <summary>Hidden layer sizes, e.g. [30] or [30, 30].</summary>
    public int[] HiddenLayers { get; set; } = [30];
    /// <summary>Hidden activation (sigmoid, as the book).</summary>
    public Activation Activation { get; set; } = Activation.Sigmoid;
    /// <summary>Cost of a classifier: CrossEntropy (sigmoid outputs, the book's default), Quadratic or SoftmaxCrossEntropy. Regression always uses the quadratic cost on a linear output.</summary>
    public Cost Cost { get; set; } = Cost.CrossEntropy;
    /// <summary>Weight initialiser (Normal1OverFanIn = N(0,1/n_in), the book's default; StandardNormal = the book's large init; Glorot*, He*, Lecun*).</summary>
    public Initializer Initializer { get; set; } = Initializer.Normal1OverFanIn;
    /// <summary>Bias initialiser (StandardNormal, the book's; or Zeros).</summary>
    public Initializer BiasInitializer { get; set; } = Initializer.StandardNormal;
    /// <summary>Dropout rate after each hidden activation (0: none).</summary>
    public float Dropout { get; set; }
    /// <summary>Batch normalisation after each hidden Dense layer.</summary>
    public bool BatchNorm { get; set; }
}
